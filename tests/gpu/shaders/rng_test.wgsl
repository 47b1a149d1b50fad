// Test kernel: writes rand_u32 for a list of keys, so tests can compare it with src/core/rng.ts.
@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> hashes: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i * 5u >= arrayLength(&keys)) { return; }
  hashes[i] = rand_u32(keys[i * 5u], keys[i * 5u + 1u], keys[i * 5u + 2u], keys[i * 5u + 3u], keys[i * 5u + 4u]);
}
