/*
 * The part of papaparse's types that core uses (parsing a string), for `npm run check`'s core-only
 * pass (tsconfig.core.json): @types/papaparse pulls in all of Node's types for its stream API, which
 * would let a Node global into core unnoticed. The full types check the same calls in tsconfig.json.
 */
declare module 'papaparse' {
  interface ParseError {
    message: string;
    row?: number;
  }
  interface ParseMeta {
    delimiter: string;
  }
  interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
    meta: ParseMeta;
  }
  const Papa: {
    parse<T>(text: string, config?: { skipEmptyLines?: boolean | 'greedy'; delimiter?: string; newline?: string }): ParseResult<T>;
  };
  export default Papa;
}
