import createREGL from 'regl';
import { CLASS_ROWS, LOSS_ENTRIES, SHADES } from '../colour/colourTables';

export type MarkKind = 'landmark' | 'selected' | 'cursor';
const MARK_CODE: Record<MarkKind, number> = { landmark: 0, selected: 1, cursor: 2 };

/** The (α, β) rectangle the canvas shows. */
export interface MapWindow {
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
}

export interface MapScene {
  readonly window: MapWindow;
  readonly kind: 'loss' | 'basin';
  /** lookup indices per grid point (see mapEncoding.ts), res × res, or nothing yet */
  readonly grid?: { readonly res: number; readonly encoded: Uint8Array };
  readonly particles?: { readonly positions: Float32Array; readonly colours: Uint8Array };
  /** line segments [count][2 ends][α, β] with one opacity per end */
  readonly trails?: { readonly segments: Float32Array; readonly opacity: Float32Array };
  /** rings: the plane's defining points (white), the selected point (pink), the keyboard's cursor (yellow) */
  readonly marks: readonly { readonly alpha: number; readonly beta: number; readonly kind: MarkKind }[];
}

const WINDOW_GLSL = `
  uniform vec4 win; // a0, a1, b0, b1
  vec4 toClip(vec2 ab) {
    return vec4((ab.x - win.x) / (win.y - win.x) * 2.0 - 1.0, (ab.y - win.z) / (win.w - win.z) * 2.0 - 1.0, 0.0, 1.0);
  }`;

/**
 * Draws the map with regl (WebGL): the grid as a texture looked up through the colour tables in
 * the fragment shader, particles as outlined points, trails as fading lines, marks as rings.
 * Draws only when asked: the component calls draw() once per animation frame with changes.
 */
export class MapRenderer {
  private readonly regl: createREGL.Regl;
  private readonly gridTexture: createREGL.Texture2D;
  private readonly lossTable: createREGL.Texture2D;
  private readonly outcomeTable: createREGL.Texture2D;
  private readonly pointPositions: createREGL.Buffer;
  private readonly pointColours: createREGL.Buffer;
  private readonly trailPositions: createREGL.Buffer;
  private readonly trailOpacity: createREGL.Buffer;
  private readonly markPositions: createREGL.Buffer;
  private readonly drawGrid: createREGL.DrawCommand;
  private readonly drawPoints: createREGL.DrawCommand;
  private readonly drawTrails: createREGL.DrawCommand;
  private readonly drawMarks: createREGL.DrawCommand;

  constructor(readonly canvas: HTMLCanvasElement) {
    // preserveDrawingBuffer: the tests read the canvas's pixels back
    this.regl = createREGL({ canvas, attributes: { antialias: true, preserveDrawingBuffer: true, alpha: false } });
    const regl = this.regl;
    const nearest = { min: 'nearest', mag: 'nearest', wrapS: 'clamp', wrapT: 'clamp' } as const;
    this.gridTexture = regl.texture({ width: 1, height: 1, data: new Uint8Array(4), ...nearest });
    this.lossTable = regl.texture({ width: LOSS_ENTRIES, height: 1, data: new Uint8Array(LOSS_ENTRIES * 4), ...nearest });
    this.outcomeTable = regl.texture({ width: SHADES, height: CLASS_ROWS, data: new Uint8Array(SHADES * CLASS_ROWS * 4), ...nearest });
    this.pointPositions = regl.buffer({ usage: 'dynamic', type: 'float', length: 8 });
    this.pointColours = regl.buffer({ usage: 'dynamic', type: 'uint8', length: 4 });
    this.trailPositions = regl.buffer({ usage: 'dynamic', type: 'float', length: 8 });
    this.trailOpacity = regl.buffer({ usage: 'dynamic', type: 'float', length: 4 });
    this.markPositions = regl.buffer({ usage: 'dynamic', type: 'float', length: 8 });

    this.drawGrid = regl({
      vert: `
        precision highp float;
        attribute vec2 corner;
        varying vec2 uv;
        void main() { uv = corner; gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0); }`,
      frag: `
        precision highp float;
        uniform sampler2D grid, lossTable, outcomeTable;
        uniform float basin;
        varying vec2 uv;
        void main() {
          vec4 d = texture2D(grid, uv);
          if (basin > 0.5) {
            gl_FragColor = texture2D(outcomeTable, vec2((d.g * 255.0 + 0.5) / ${SHADES}.0, (d.r * 255.0 + 0.5) / ${CLASS_ROWS}.0));
          } else {
            gl_FragColor = texture2D(lossTable, vec2((d.r * 255.0 + 0.5) / ${LOSS_ENTRIES}.0, 0.5));
          }
        }`,
      attributes: { corner: [0, 0, 1, 0, 0, 1, 1, 1] },
      uniforms: {
        grid: this.gridTexture,
        lossTable: this.lossTable,
        outcomeTable: this.outcomeTable,
        basin: regl.prop<{ basin: number }, 'basin'>('basin'),
      },
      primitive: 'triangle strip',
      count: 4,
      depth: { enable: false },
    });

    this.drawTrails = regl({
      vert: `
        precision highp float;
        attribute vec2 position;
        attribute float opacity;
        varying float vOpacity;
        ${WINDOW_GLSL}
        void main() { vOpacity = opacity; gl_Position = toClip(position); }`,
      frag: `
        precision highp float;
        varying float vOpacity;
        void main() { gl_FragColor = vec4(1.0, 1.0, 1.0, vOpacity); }`,
      attributes: { position: this.trailPositions, opacity: this.trailOpacity },
      uniforms: { win: regl.prop<{ win: number[] }, 'win'>('win') },
      primitive: 'lines',
      count: regl.prop<{ count: number }, 'count'>('count'),
      blend: { enable: true, func: { src: 'src alpha', dst: 'one minus src alpha' } },
      depth: { enable: false },
    });

    this.drawPoints = regl({
      vert: `
        precision highp float;
        attribute vec2 position;
        attribute vec4 colour;
        uniform float size;
        varying vec4 vColour;
        ${WINDOW_GLSL}
        void main() { vColour = colour; gl_PointSize = size; gl_Position = toClip(position); }`,
      frag: `
        precision highp float;
        varying vec4 vColour;
        void main() {
          vec2 c = gl_PointCoord * 2.0 - 1.0;
          float r = dot(c, c);
          if (r > 1.0) discard;
          // a dark rim keeps every particle visible on any background colour
          gl_FragColor = vec4(r > 0.45 ? vec3(0.08) : vColour.rgb, 1.0);
        }`,
      attributes: { position: this.pointPositions, colour: { buffer: this.pointColours, normalized: true } },
      uniforms: { win: regl.prop<{ win: number[] }, 'win'>('win'), size: regl.prop<{ size: number }, 'size'>('size') },
      primitive: 'points',
      count: regl.prop<{ count: number }, 'count'>('count'),
      depth: { enable: false },
    });

    this.drawMarks = regl({
      vert: `
        precision highp float;
        attribute vec3 mark; // α, β, kind: 0 landmark, 1 selected, 2 keyboard cursor
        uniform float size;
        varying float kind;
        ${WINDOW_GLSL}
        void main() { kind = mark.z; gl_PointSize = size * (mark.z > 0.5 ? 2.0 : 1.0); gl_Position = toClip(mark.xy); }`,
      frag: `
        precision highp float;
        varying float kind;
        void main() {
          float r = length(gl_PointCoord * 2.0 - 1.0);
          if (r > 1.0 || r < 0.6) discard;
          gl_FragColor = vec4(kind > 1.5 ? vec3(1.0, 0.85, 0.1) : kind > 0.5 ? vec3(1.0, 0.2, 0.6) : vec3(1.0), 1.0);
        }`,
      attributes: { mark: this.markPositions },
      uniforms: { win: regl.prop<{ win: number[] }, 'win'>('win'), size: regl.prop<{ size: number }, 'size'>('size') },
      primitive: 'points',
      count: regl.prop<{ count: number }, 'count'>('count'),
      depth: { enable: false },
    });
  }

  setTables(loss: Uint8Array, outcome: Uint8Array): void {
    this.lossTable.subimage({ width: LOSS_ENTRIES, height: 1, data: loss });
    this.outcomeTable.subimage({ width: SHADES, height: CLASS_ROWS, data: outcome });
  }

  /** Redraws the scene at the canvas's current size. */
  draw(scene: MapScene): void {
    const regl = this.regl;
    regl.poll();
    const w = scene.window;
    const win = [w.a0, w.a1, w.b0, w.b1];
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    regl.clear({ color: [0.12, 0.12, 0.14, 1] });
    if (scene.grid) {
      const { res, encoded } = scene.grid;
      this.gridTexture({ width: res, height: res, data: encoded, min: 'nearest', mag: 'nearest', wrapS: 'clamp', wrapT: 'clamp' });
      this.drawGrid({ basin: scene.kind === 'basin' ? 1 : 0 });
    }
    if (scene.trails && scene.trails.opacity.length > 0) {
      this.trailPositions({ data: scene.trails.segments, usage: 'dynamic' });
      this.trailOpacity({ data: scene.trails.opacity, usage: 'dynamic' });
      this.drawTrails({ win, count: scene.trails.opacity.length });
    }
    if (scene.particles && scene.particles.positions.length > 0) {
      const n = scene.particles.positions.length / 2;
      this.pointPositions({ data: scene.particles.positions, usage: 'dynamic' });
      this.pointColours({ data: scene.particles.colours, usage: 'dynamic' });
      this.drawPoints({ win, count: n, size: (n > 8192 ? 3 : n > 1024 ? 5 : 7) * dpr });
    }
    if (scene.marks.length > 0) {
      this.markPositions({ data: new Float32Array(scene.marks.flatMap((m) => [m.alpha, m.beta, MARK_CODE[m.kind]])), usage: 'dynamic' });
      this.drawMarks({ win, count: scene.marks.length, size: 12 * dpr });
    }
  }

  destroy(): void {
    this.regl.destroy();
  }
}
