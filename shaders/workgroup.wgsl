// Every engine kernel's workgroup size: an override, so the host's WORKGROUP_SIZE
// (src/engine/dispatch.ts, passed as a pipeline constant) is the one value; this default only
// lets a module compile on its own.

override WORKGROUP_SIZE: u32 = 64u;
