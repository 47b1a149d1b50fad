#!/usr/bin/env python3
"""
The benchmark's PyTorch peer (src/bench/torchPeer.ts runs it): the model axis's ensemble trained
the way a PyTorch user would write it, one tensor per layer holding every particle's weights
([particles, in, out]), the minibatch gathered as [particles, batch, in], torch.bmm (baddbmm with
the bias), autograd, and torch.optim's own SGD / Adam / AdamW, whose updates the engines copy
(src/core/optimizer.ts), with one parameter group per layer for per-layer rates. On CUDA when
torch has it, else on the CPU; the first line of output says which.

    python3 torch_peer.py SPEC.json

SPEC.json (written by torchPeer.ts; every field is checked before torch is imported, so a bad
spec is one line on stderr and exit 2 whether or not torch is installed):
    widths [in, ..., out], activation, bias, loss ('bce' | 'softmax' | 'mse'),
    optimizer ('sgd' | 'momentum' | 'adam' | 'adamw'), lr, momentum, weightDecay, beta1, beta2,
    lrScale (list or null), batch (integer or 'full'), rows,
    x (float32 file [rows][in]), target (float32 file: 0/1 labels [rows], class indices [rows],
    or targets [rows][out]), init (float32 file [initParticles][params], tiled to more
    particles), initParticles, device ('auto' | 'cpu'), and either
      mode 'rate': particles (list), seconds, maxRowSeconds — prints one JSON line per count,
        {"particles", "firstStep", "rate"} or {"particles", "skipped"}, after a first line
        {"torch", "device"};
      mode 'steps': steps, out (file), batchRows (int32 file [steps][particles][batch], or null
        for torch's own draws) — trains initParticles particles and writes their parameters in
        the project's layout (float32 [particles][params]) to out.
Without torch it prints {"absent": "..."} and exits 3.
"""
import json
import math
import sys
import time

ACTIVATIONS = ("tanh", "relu", "gelu", "square", "identity")
LOSSES = ("bce", "softmax", "mse")
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")


def fail(message):
    print(f"torch_peer: {message}", file=sys.stderr)
    sys.exit(2)


def is_int(v, low=1):
    return isinstance(v, int) and not isinstance(v, bool) and v >= low


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check(spec):
    """Every field, with its allowed range; the first bad one ends the run."""
    if not isinstance(spec, dict):
        fail("the spec must be a JSON object")

    def need(name, ok, allowed):
        if name not in spec:
            fail(f"{name} is missing ({allowed})")
        if not ok(spec[name]):
            fail(f"{name} must be {allowed}, got {json.dumps(spec[name])}")

    need("widths", lambda v: isinstance(v, list) and len(v) >= 2 and all(is_int(w) for w in v), "a list of at least 2 integers ≥ 1")
    need("activation", lambda v: v in ACTIVATIONS, "one of " + ", ".join(ACTIVATIONS))
    need("bias", lambda v: isinstance(v, bool), "true or false")
    need("loss", lambda v: v in LOSSES, "one of " + ", ".join(LOSSES))
    out = spec["widths"][-1]
    if spec["loss"] == "bce" and out != 1:
        fail(f"loss bce needs one output, the widths end in {out}")
    if spec["loss"] == "softmax" and out < 2:
        fail("loss softmax needs at least 2 outputs, the widths end in 1")
    need("optimizer", lambda v: v in OPTIMIZERS, "one of " + ", ".join(OPTIMIZERS))
    need("lr", lambda v: is_number(v) and v > 0, "a positive number")
    need("momentum", lambda v: is_number(v) and 0 <= v < 1, "a number from 0 to below 1")
    need("weightDecay", lambda v: is_number(v) and v >= 0, "a number ≥ 0")
    need("beta1", lambda v: is_number(v) and 0 <= v < 1, "a number from 0 to below 1")
    need("beta2", lambda v: is_number(v) and 0 <= v < 1, "a number from 0 to below 1")
    layers = len(spec["widths"]) - 1
    need("lrScale", lambda v: v is None or (isinstance(v, list) and len(v) <= layers and all(is_number(s) and s >= 0 for s in v)),
         f"null or a list of at most {layers} numbers ≥ 0")
    need("batch", lambda v: v == "full" or is_int(v), "an integer ≥ 1 or \"full\"")
    need("rows", is_int, "an integer ≥ 1")
    for name in ("x", "target", "init"):
        need(name, lambda v: isinstance(v, str) and v != "", "a file name")
    need("initParticles", is_int, "an integer ≥ 1")
    need("device", lambda v: v in ("auto", "cpu"), "auto or cpu")
    need("mode", lambda v: v in ("rate", "steps"), "rate or steps")
    if spec["mode"] == "rate":
        need("particles", lambda v: isinstance(v, list) and len(v) >= 1 and all(is_int(n) for n in v), "a list of integers ≥ 1")
        need("seconds", lambda v: is_number(v) and v > 0, "a positive number")
        need("maxRowSeconds", lambda v: is_number(v) and v > 0, "a positive number")
    else:
        need("steps", lambda v: is_int(v, 0), "an integer ≥ 0")
        need("out", lambda v: isinstance(v, str) and v != "", "a file name")
        need("batchRows", lambda v: v is None or (isinstance(v, str) and v != ""), "null or a file name")
    return spec


def read_spec(argv):
    if len(argv) != 2:
        fail("usage: torch_peer.py SPEC.json")
    try:
        with open(argv[1], encoding="utf-8") as f:
            spec = json.load(f)
    except OSError as e:
        fail(f"cannot read {argv[1]}: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{argv[1]} is not JSON: {e.msg} at line {e.lineno}")
    return check(spec)


def say(obj):
    print(json.dumps(obj), flush=True)


class Ensemble:
    """Every particle's net as one tensor per layer, trained by torch.optim."""

    def __init__(self, torch, spec, init, particles, device):
        self.torch = torch
        self.spec = spec
        self.device = device
        widths = spec["widths"]
        p = init.shape[1]
        if init.shape[0] < particles:
            init = init.repeat((particles + init.shape[0] - 1) // init.shape[0], 1)
        init = init[:particles].to(device)
        self.weights, self.biases, groups = [], [], []
        offset = 0
        scales = spec["lrScale"] or []
        for layer, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
            # our weight is [out][in] per particle (nn.Linear's order); bmm wants [in, out]
            w = init[:, offset:offset + fan_in * fan_out].reshape(particles, fan_out, fan_in).transpose(1, 2).contiguous()
            offset += fan_in * fan_out
            w.requires_grad_(True)
            group = [w]
            b = None
            if spec["bias"]:
                b = init[:, offset:offset + fan_out].reshape(particles, 1, fan_out).clone()
                offset += fan_out
                b.requires_grad_(True)
                group.append(b)
            self.weights.append(w)
            self.biases.append(b)
            groups.append({"params": group, "lr": spec["lr"] * (scales[layer] if layer < len(scales) else 1)})
        if offset != p:
            raise ValueError(f"init has {p} values per particle, the net {offset}")
        opt, wd = spec["optimizer"], spec["weightDecay"]
        if opt in ("sgd", "momentum"):
            self.opt = torch.optim.SGD(groups, lr=spec["lr"], momentum=spec["momentum"] if opt == "momentum" else 0, weight_decay=wd)
        else:
            cls = torch.optim.Adam if opt == "adam" else torch.optim.AdamW
            self.opt = cls(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=1e-8, weight_decay=wd)
        self.particles = particles

    def activate(self, h):
        F = self.torch.nn.functional
        kind = self.spec["activation"]
        if kind == "tanh":
            return self.torch.tanh(h)
        if kind == "relu":
            return F.relu(h)
        if kind == "gelu":
            return F.gelu(h, approximate="tanh")  # the engines' tanh approximation
        if kind == "square":
            return h * h
        return h

    def step(self, x, target, rows=None):
        """One step; `rows` ([particles, batch] long) picks the minibatch, None draws it (or 'full')."""
        torch = self.torch
        F = torch.nn.functional
        spec = self.spec
        if spec["batch"] == "full":
            h, t, batch = x, target, x.shape[0]
        else:
            batch = spec["batch"]
            if rows is None:
                rows = torch.randint(x.shape[0], (self.particles, batch), device=self.device)
            h, t = x[rows], target[rows]
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            if h.dim() == 2:
                # the full set, shared by every particle: matmul broadcasts it over them
                h = torch.matmul(h, w) if b is None else torch.matmul(h, w) + b
            else:
                h = torch.bmm(h, w) if b is None else torch.baddbmm(b, h, w)
            if layer < last:
                h = self.activate(h)
        loss = spec["loss"]
        if loss == "bce":
            t = t.reshape(-1, 1).expand(self.particles, -1, 1) if t.dim() == 1 else t.unsqueeze(-1)
            total = F.binary_cross_entropy_with_logits(h, t, reduction="sum")
        elif loss == "softmax":
            t = t.expand(self.particles, -1) if t.dim() == 1 else t
            total = F.cross_entropy(h.reshape(-1, h.shape[-1]), t.reshape(-1), reduction="sum")
        else:
            total = ((h - t) ** 2).sum() / h.shape[-1]
        # summed over particles, mean over the batch: each particle gets its own mean gradient
        self.opt.zero_grad(set_to_none=True)
        (total / batch).backward()
        self.opt.step()

    def params(self):
        """[particles][params] in the project's layout."""
        parts = []
        for w, b in zip(self.weights, self.biases):
            parts.append(w.detach().transpose(1, 2).reshape(self.particles, -1))
            if b is not None:
                parts.append(b.detach().reshape(self.particles, -1))
        return self.torch.cat(parts, 1).cpu()


def settled_rate(advance, particles, seconds, max_runs=6):
    """settledRate of src/bench/trainingRate.ts: runs of about `seconds` until one is no more than
    10% faster than the best before it (at most max_runs), the best kept; the axis times ours so."""
    t0 = time.perf_counter()
    advance(2)
    guess = 2 * particles / (time.perf_counter() - t0)
    best = 0.0
    for _ in range(max_runs):
        steps = max(2, round(seconds * max(best, guess) / particles))
        t0 = time.perf_counter()
        advance(steps)
        r = steps * particles / (time.perf_counter() - t0)
        settled = best > 0 and r < 1.1 * best
        best = max(best, r)
        if settled:
            break
    return best


def main():
    spec = read_spec(sys.argv)
    try:
        import numpy
        import torch
    except ImportError as e:
        say({"absent": f"python3-torch not installed ({e})"})
        sys.exit(3)

    use_cuda = spec["device"] == "auto" and torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    label = f"cuda ({torch.cuda.get_device_name()})" if use_cuda else f"cpu, {torch.get_num_threads()} thread{'s' if torch.get_num_threads() > 1 else ''}"

    def sync():
        if use_cuda:
            torch.cuda.synchronize()

    def load(name, dtype, shape):
        try:
            return torch.from_numpy(numpy.fromfile(spec[name], dtype=dtype).reshape(shape))
        except (OSError, ValueError) as e:
            fail(f"{name}: {e}")

    widths, rows = spec["widths"], spec["rows"]
    params = sum(a * b + (b if spec["bias"] else 0) for a, b in zip(widths[:-1], widths[1:]))
    x = load("x", numpy.float32, (rows, widths[0])).to(device)
    if spec["loss"] == "mse":
        target = load("target", numpy.float32, (rows, widths[-1])).to(device)
    elif spec["loss"] == "softmax":
        target = load("target", numpy.float32, (rows,)).long().to(device)
    else:
        target = load("target", numpy.float32, (rows,)).to(device)
    init = load("init", numpy.float32, (spec["initParticles"], params))
    torch.manual_seed(0)

    if spec["mode"] == "steps":
        n, steps = spec["initParticles"], spec["steps"]
        batch_rows = None
        if spec["batchRows"] is not None and spec["batch"] != "full":
            batch_rows = load("batchRows", numpy.int32, (steps, n, spec["batch"])).long().to(device)
        ens = Ensemble(torch, spec, init, n, device)
        for s in range(steps):
            ens.step(x, target, None if batch_rows is None else batch_rows[s])
        ens.params().numpy().astype(numpy.float32).tofile(spec["out"])
        say({"torch": torch.__version__, "device": label, "steps": steps})
        return

    say({"torch": torch.__version__, "device": label})
    last = None
    for particles in spec["particles"]:
        if last is not None and 3 * particles / last > spec["maxRowSeconds"]:
            say({"particles": particles, "skipped": f"predicted {3 * particles / last:.0f} s for 3 steps"})
            break
        try:
            ens = Ensemble(torch, spec, init, particles, device)
            t0 = time.perf_counter()
            ens.step(x, target)
            sync()
            first = time.perf_counter() - t0

            def advance(steps):
                for _ in range(steps):
                    ens.step(x, target)
                sync()

            last = settled_rate(advance, particles, spec["seconds"])
            say({"particles": particles, "firstStep": first, "rate": last})
            del ens
        except RuntimeError as e:  # out of memory, mostly
            say({"particles": particles, "skipped": str(e).splitlines()[0][:200]})
            break


if __name__ == "__main__":
    main()
