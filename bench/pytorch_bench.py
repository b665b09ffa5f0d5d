#!/usr/bin/env python3
"""PyTorch twin of the plugin's training and discovery steps, for side-by-side timing.

Each row builds, in plain PyTorch, the network that the Java code builds (model/Dcgan, model/ResNetVae,
discover/Reconstructors, discover/Deformator) and times one iteration of the step the Java code runs
(train/GanStep, train/VaeStep, discover/VoynovBabenko.trainStep): the code a user would write instead of
running the plugin. Architectures, initialisations, losses and optimiser settings are the Java ones; only the
implementation of a few layers differs where the Java side works around DJL (see bench/README.md).

Usage: python3 bench/pytorch_bench.py --threads 2 --reps 2 [--rows gan64,vae64,gan128,vae128,vb128]
       [--blas-threads 1] [--conv-transpose native|phase]

stdout gets exactly one line per row, "pytorch-row " followed by JSON; everything else goes to stderr.
"""
import argparse
import gc
import json
import math
import os
import sys
import time

INSTALL_HINT = "apt-get install python3-torch libopenblas0-pthread"
ROW_NAMES = ("gan64", "vae64", "gan128", "vae128", "vb128")


def arg_parser():
    ap = argparse.ArgumentParser(description="PyTorch twin of the plugin's training and discovery steps.")
    ap.add_argument("--threads", type=int, default=2, help="torch intra-op (and inter-op) threads; Debian's torch defaults to 1")
    ap.add_argument("--reps", type=int, default=2, help="at least this many timed iterations; the best is reported")
    ap.add_argument("--warmup-seconds", type=float, default=0.0,
                    help="warm-up iterations until this much time has passed (at least one); bench compare passes its own rule")
    ap.add_argument("--timed-seconds", type=float, default=0.0,
                    help="timed iterations go on until this much time has passed (and --reps are done)")
    ap.add_argument("--rows", default=",".join(ROW_NAMES), help="comma-separated subset of " + ",".join(ROW_NAMES))
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="OpenBLAS's own thread pool (OPENBLAS_NUM_THREADS, set before torch loads). Default 1: torch's "
                         "slow_conv_transpose2d calls gemm per sample, and a second OpenBLAS pool fighting torch's OpenMP "
                         "threads made its backward up to 5x slower on 2 busy cores")
    ap.add_argument("--conv-transpose", choices=("native", "phase"), default="native",
                    help="native: torch's nn.ConvTranspose2d (what users write; the default). phase: the Java "
                         "implementation (sub-pixel conv2d + depth-to-space, first layer as a matmul), to separate "
                         "the framework from that kernel")
    return ap


if __name__ == "__main__":
    ARGS = arg_parser().parse_args()
    # must precede the first load of libopenblas (import torch)
    os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.blas_threads)

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # one clear message, no traceback
    # a pyenv/venv python3 may come first on PATH; Debian's python3-torch belongs to /usr/bin/python3
    system_python = "/usr/bin/python3"
    if (__name__ == "__main__" and os.path.exists(system_python) and "PYTORCH_BENCH_REEXEC" not in os.environ
            and os.path.realpath(sys.executable) != os.path.realpath(system_python)):
        print(f"pytorch_bench: no torch in {sys.executable}; re-running with {system_python}", file=sys.stderr, flush=True)
        os.environ["PYTORCH_BENCH_REEXEC"] = "1"
        os.execv(system_python, [system_python, os.path.abspath(__file__)] + sys.argv[1:])
    print(f"pytorch_bench: PyTorch is not importable by {sys.executable} ({e}). Install it with: {INSTALL_HINT} "
          f"(Debian's package serves {system_python})", file=sys.stderr)
    sys.exit(2)


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# DCGAN (model/Dcgan.java, DcganConfig.java): no conv biases, BN momentum 0.1 / eps 1e-5, leaky 0.2,
# weights N(0, 0.02), BN gamma N(1, 0.02), beta 0.

class DcganConfig:
    def __init__(self, latent_dim, image_size, ngf, ndf, channels):
        self.latent_dim, self.image_size, self.ngf, self.ndf, self.channels = latent_dim, image_size, ngf, ndf, channels

    @staticmethod
    def paper():
        return DcganConfig(32, 128, 128, 128, 1)

    @staticmethod
    def cpu_default():
        return DcganConfig(32, 64, 32, 32, 1)

    def stages(self):
        return int(math.log2(self.image_size)) - 2

    def generator_widths(self):  # 4x4 feature map ... last hidden layer
        return [self.ngf << i for i in reversed(range(self.stages()))]

    def discriminator_widths(self):  # first layer ... 4x4
        return [self.ndf << i for i in range(self.stages())]


LEAKY_SLOPE = 0.2


class PhaseConvTranspose2d(nn.Module):
    """model/ConvTranspose2d.java: bias-free k4 s2 p1 transposed convolution as one 2x2 conv2d (padding 1) to
    4*C_out phase channels on an (H+1)x(W+1) grid, interleaved by depth-to-space, one-pixel border dropped. The
    weight lives in that stacked layout (4*C_out, C_in, 2, 2): same count and init as torch's (C_in, C_out, 4, 4)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.cout = cout
        self.weight = nn.Parameter(torch.empty(4 * cout, cin, 2, 2))

    def forward(self, x):
        b, _, h, w = x.shape
        phases = F.conv2d(x, self.weight, padding=1)
        grid = phases.reshape(b, 2, 2, self.cout, h + 1, w + 1).permute(0, 3, 4, 1, 5, 2) \
            .reshape(b, self.cout, 2 * h + 2, 2 * w + 2)
        return grid[:, :, 1:2 * h + 1, 1:2 * w + 1]


class LatentProjection(nn.Module):
    """model/LatentProjection.java: ConvTranspose2d k4 s1 p0 on a 1x1 latent as a (d, C*16) matmul."""

    def __init__(self, latent_dim, cout):
        super().__init__()
        self.latent_dim, self.cout = latent_dim, cout
        self.weight = nn.Parameter(torch.empty(latent_dim, cout * 16))

    def forward(self, z):
        return (z.reshape(-1, self.latent_dim) @ self.weight).reshape(-1, self.cout, 4, 4)


# "native" (torch's nn.ConvTranspose2d, what users write) or "phase" (the Java kernels); set by --conv-transpose
CONV_TRANSPOSE = "native"


def dcgan_generator(c):
    """z (B, d, 1, 1) -> tanh image (B, c, S, S): ConvTranspose k4 s1 p0 to 4x4, then k4 s2 p1 stages."""
    phase = CONV_TRANSPOSE == "phase"
    first = (lambda cin, cout: LatentProjection(cin, cout)) if phase else (lambda cin, cout: nn.ConvTranspose2d(cin, cout, 4, 1, 0, bias=False))
    up = (lambda cin, cout: PhaseConvTranspose2d(cin, cout)) if phase else (lambda cin, cout: nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False))
    w = c.generator_widths()
    layers = [first(c.latent_dim, w[0]), nn.BatchNorm2d(w[0]), nn.ReLU(True)]
    for i in range(1, len(w)):
        layers += [up(w[i - 1], w[i]), nn.BatchNorm2d(w[i]), nn.ReLU(True)]
    layers += [up(w[-1], c.channels), nn.Tanh()]
    return nn.Sequential(*layers)


class Flatten1(nn.Module):
    """The Java 'logit' lambda: (B, 1, 1, 1) -> (B, 1)."""

    def forward(self, x):
        return x.reshape(-1, 1)


def dcgan_discriminator(c):
    """image -> raw logit (B, 1)."""
    w = c.discriminator_widths()
    layers = [nn.Conv2d(c.channels, w[0], 4, 2, 1, bias=False), nn.LeakyReLU(LEAKY_SLOPE, True)]
    for i in range(1, len(w)):
        layers += [nn.Conv2d(w[i - 1], w[i], 4, 2, 1, bias=False), nn.BatchNorm2d(w[i]), nn.LeakyReLU(LEAKY_SLOPE, True)]
    layers += [nn.Conv2d(w[-1], 1, 4, 1, 0, bias=False), Flatten1()]
    return nn.Sequential(*layers)


def dcgan_init(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, PhaseConvTranspose2d, LatentProjection)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return module


# ---------------------------------------------------------------------------------------------------------------
# ResNet VAE (model/ResNetVae.java, ResidualBlock.java, VaeConfig.java): PyTorch default init (the Java side
# reproduces U(+-1/sqrt(fan_in)) for weight and bias), 3x3 convs with bias, fixed leaky slope 11/48.

class VaeConfig:
    def __init__(self, latent_dim, image_size, ch, channels):
        self.latent_dim, self.image_size, self.ch, self.channels = latent_dim, image_size, ch, channels

    @staticmethod
    def paper():
        return VaeConfig(32, 128, 64, 1)

    @staticmethod
    def cpu_default():
        return VaeConfig(32, 64, 16, 1)

    def encoder_widths(self):
        return [self.ch * min(1 << i, 8) for i in range(int(math.log2(self.image_size)) - 2)]

    def decoder_widths(self):
        return [16 * self.ch] + [self.ch // 2 * min(1 << j, 16) for j in range(int(math.log2(self.image_size)) - 2, -1, -1)]


# F.rrelu with its defaults (training=False) in the original = leaky ReLU with the mean of [1/8, 1/3]
RES_SLOPE = (1 / 8 + 1 / 3) / 2


class ResidualBlock(nn.Module):
    """main = conv(cin->cout/2) -> BN -> act -> resample -> conv(cout/2->cout) -> BN; skip = conv(resample(x));
    out = act(main + skip). Resample: AvgPool2 (down) or nearest x2 (up)."""

    def __init__(self, down, cin, cout):
        super().__init__()
        self.down = down
        self.conv1 = nn.Conv2d(cin, cout // 2, 3, 1, 1)
        self.bn1 = nn.BatchNorm2d(cout // 2)
        self.conv2 = nn.Conv2d(cout // 2, cout, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = nn.Conv2d(cin, cout, 3, 1, 1)

    def resample(self, x):
        return F.avg_pool2d(x, 2, 2) if self.down else F.interpolate(x, scale_factor=2, mode="nearest")

    def forward(self, x):
        h = F.leaky_relu(self.bn1(self.conv1(x)), RES_SLOPE)
        h = self.bn2(self.conv2(self.resample(h)))
        return F.leaky_relu(h + self.skip(self.resample(x)), RES_SLOPE)


class VaeEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        blocks, cin = [], c.channels
        for w in c.encoder_widths():
            blocks.append(ResidualBlock(True, cin, w))
            cin = w
        self.trunk = nn.Sequential(*blocks)
        self.mu = nn.Conv2d(cin, c.latent_dim, 4, 4, 0)
        self.logvar = nn.Conv2d(cin, c.latent_dim, 4, 4, 0)

    def forward(self, x):
        h = self.trunk(x)
        return self.mu(h), self.logvar(h)


def vae_decoder(c):
    blocks, cin = [], c.latent_dim
    for w in c.decoder_widths():
        blocks.append(ResidualBlock(False, cin, w))
        cin = w
    return nn.Sequential(*blocks, nn.Conv2d(cin, c.channels, 3, 1, 1), nn.Tanh())


# ---------------------------------------------------------------------------------------------------------------
# Voynov-Babenko discovery (discover/VoynovBabenko, Deformator, Reconstructors, ShiftSampler, DiscoverySettings)

class LeNetReconstructor(nn.Module):
    """[G(z), G(z+shift)] (B, 2, S, S) -> (logits (B, K), eps_hat (B)). Unpadded 5x5 convs, BN, ReLU, max-pool,
    global average pool to 120 features; two heads Linear(120->84) -> BN1d -> ReLU -> Linear(84->K or 1).
    PyTorch's default init for conv/linear (what the Java initializeParameters draws), BN 1/0."""

    def __init__(self, directions):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(2, 6, 5), nn.BatchNorm2d(6), nn.ReLU(True), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(True), nn.MaxPool2d(2, 2),
            nn.Conv2d(16, 120, 5), nn.BatchNorm2d(120), nn.ReLU(True))
        self.logits = self.head(directions)
        self.shift = self.head(1)

    @staticmethod
    def head(outputs):
        return nn.Sequential(nn.Linear(120, 84), nn.BatchNorm1d(84), nn.ReLU(True), nn.Linear(84, outputs))

    def forward(self, x):
        f = self.features(x).mean(dim=(2, 3))
        return self.logits(f), self.shift(f).reshape(-1)


def lenet_parameter_count_java(directions):
    """Trainable parameters of Reconstructors.lenet(K, S) counted from the Java layer list (conv and linear with
    bias, BN gamma + beta; running statistics are not parameters), independently of the torch model."""
    conv = lambda cin, cout, k: cout * cin * k * k + cout
    bn = lambda c: 2 * c
    linear = lambda cin, cout: cin * cout + cout
    features = conv(2, 6, 5) + bn(6) + conv(6, 16, 5) + bn(16) + conv(16, 120, 5) + bn(120)
    head = lambda n: linear(120, 84) + bn(84) + linear(84, n)
    return features + head(directions) + head(1)


class ProjDeformator(nn.Module):
    """The proj deformator: a dense layer K -> d with bias applied to the one-hot eps*e_k, rescaled so that
    ||shift|| = |eps|; weight 0.1*N(0, 1) (random_init), bias PyTorch's Linear default U(+-1/sqrt(K))."""

    def __init__(self, directions, latent_dim):
        super().__init__()
        self.directions, self.latent_dim = directions, latent_dim
        self.linear = nn.Linear(directions, latent_dim)
        with torch.no_grad():
            self.linear.weight.normal_(0.0, 1.0).mul_(0.1)

    def forward(self, k, eps):
        one_hot = torch.zeros(k.shape[0], self.directions)
        one_hot[torch.arange(k.shape[0]), k] = eps
        out = self.linear(one_hot)
        out = out * eps.abs().unsqueeze(1) / out.norm(dim=1, keepdim=True)
        return out.reshape(-1, self.latent_dim, 1, 1)


# DiscoverySettings.paper(), with the row's proj K = 32 and batch 16
SHIFT_WEIGHT, SHIFT_SCALE, MIN_SHIFT, DISCOVERY_LR = 0.25, 6.0, 0.5, 1e-4


def sample_shifts(batch, directions, latent_dim):
    """ShiftSampler: z ~ N(0, I), k uniform, eps ~ U[-6, 6] with 0 < |eps| < 0.5 snapped to +-0.5."""
    k = torch.randint(directions, (batch,))
    eps = torch.rand(batch) * (2 * SHIFT_SCALE) - SHIFT_SCALE
    eps = torch.where((eps > 0) & (eps < MIN_SHIFT), torch.full_like(eps, MIN_SHIFT), eps)
    eps = torch.where((eps < 0) & (eps > -MIN_SHIFT), torch.full_like(eps, -MIN_SHIFT), eps)
    z = torch.randn(batch, latent_dim, 1, 1)
    return z, k, eps


# ---------------------------------------------------------------------------------------------------------------
# Fidelity checks

# the Java figures (README "Models", from Params.countTrainable = sum(p.numel() for p in parameters()))
JAVA_COUNTS = {
    "paper G": 45_623_040, "paper D": 44_606_976, "paper VAE encoder": 9_141_056, "paper VAE decoder": 20_893_041,
    "cpu G": 820_672, "cpu D": 693_632, "cpu VAE encoder": 375_744, "cpu VAE decoder": 1_095_805,
}


def count(module):
    return sum(p.numel() for p in module.parameters())


def check_count(name, module, expected):
    n = count(module)
    log(f"  params {name}: {n:,} (Java {expected:,}) {'OK' if n == expected else 'MISMATCH'}")
    if n != expected:
        raise SystemExit(f"pytorch_bench: {name} has {n:,} parameters, the Java model {expected:,}: the twin is wrong")


def check_shape(name, tensor, expected):
    got = tuple(tensor.shape)
    if got != tuple(expected):
        raise SystemExit(f"pytorch_bench: {name} output is {got}, expected {tuple(expected)}: the twin is wrong")
    log(f"  shape {name}: {got} OK")


def numerics_probe():
    """conv2d / conv_transpose2d forward in float32 (the configured backend) against float64 on small inputs:
    the Java side found oneDNN wrong on some CPUs, so a timing of wrong arithmetic should at least be flagged."""
    g = torch.Generator().manual_seed(7)
    x = torch.randn(4, 16, 12, 12, generator=g)
    w = torch.randn(32, 16, 3, 3, generator=g) * 0.1
    wt = torch.randn(16, 8, 4, 4, generator=g) * 0.1
    worst = 0.0
    for f32, f64 in (
            (F.conv2d(x, w, padding=1), F.conv2d(x.double(), w.double(), padding=1)),
            (F.conv_transpose2d(x, wt, stride=2, padding=1), F.conv_transpose2d(x.double(), wt.double(), stride=2, padding=1))):
        worst = max(worst, ((f32.double() - f64).abs().max() / f64.abs().max()).item())
    if CONV_TRANSPOSE == "phase":  # the Java kernel against torch's transposed convolution (weight converted)
        layer = PhaseConvTranspose2d(16, 8)
        with torch.no_grad():  # ConvTranspose2d.fromTorchLayout: split each kernel axis into (u', a), flip u'
            layer.weight.copy_(wt.reshape(16, 8, 2, 2, 2, 2).flip(2, 4).permute(3, 5, 1, 0, 2, 4).reshape(32, 16, 2, 2))
            ref = F.conv_transpose2d(x.double(), wt.double(), stride=2, padding=1)
            worst = max(worst, ((layer(x).double() - ref).abs().max() / ref.abs().max()).item())
    verdict = "OK" if worst < 1e-4 else "WRONG (timings below are of incorrect arithmetic)"
    log(f"numerics: float32 conv/conv-transpose vs float64, max relative error {worst:.2e}: {verdict}")


# ---------------------------------------------------------------------------------------------------------------
# Rows: each returns (batch, images per step, step function); the step function runs one full iteration.

def gan_row(config, batch):
    G, D = dcgan_init(dcgan_generator(config)), dcgan_init(dcgan_discriminator(config))
    prefix = "paper" if config.image_size == 128 else "cpu"
    check_count(f"{prefix} G", G, JAVA_COUNTS[f"{prefix} G"])
    check_count(f"{prefix} D", D, JAVA_COUNTS[f"{prefix} D"])
    S, nz = config.image_size, config.latent_dim
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    real = torch.rand(batch, config.channels, S, S) * 2 - 1  # TaskIterations: one fixed U[-1, 1] batch
    shapes_checked = []

    def step():
        # D phase: real with one-sided smoothed targets U{0.900..0.999}, fake from fresh noise, detached
        real_targets = torch.randint(900, 1000, (batch, 1)).float() / 1000
        z = torch.randn(batch, nz, 1, 1)
        opt_d.zero_grad()
        real_logits = D(real)
        fake = G(z)
        fake_logits = D(fake.detach())
        d_loss = F.binary_cross_entropy_with_logits(real_logits, real_targets) \
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros(batch, 1))
        d_loss.backward()
        opt_d.step()
        if not shapes_checked:
            check_shape("G", fake, (batch, config.channels, S, S))
            check_shape("D", real_logits, (batch, 1))
            shapes_checked.append(True)
        # G phase: the same fake batch against the updated D, non-saturating loss; D's weights frozen (GanStep
        # freezes them, so no gradient is computed for D), D still in training mode (BN statistics move)
        D.requires_grad_(False)
        opt_g.zero_grad()
        logits = D(fake)
        g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones(batch, 1))
        g_loss.backward()
        opt_g.step()
        D.requires_grad_(True)
        # the scalars GanStep.Result reads back
        return (d_loss.item(), g_loss.item(), torch.sigmoid(real_logits.detach()).mean().item(),
                torch.sigmoid(fake_logits.detach()).mean().item(), torch.sigmoid(logits.detach()).mean().item())

    return batch, batch, step


def vae_row(config, batch, beta=0.01):
    enc, dec = VaeEncoder(config), vae_decoder(config)
    prefix = "paper" if config.image_size == 128 else "cpu"
    check_count(f"{prefix} VAE encoder", enc, JAVA_COUNTS[f"{prefix} VAE encoder"])
    check_count(f"{prefix} VAE decoder", dec, JAVA_COUNTS[f"{prefix} VAE decoder"])
    S = config.image_size
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    x = torch.rand(batch, config.channels, S, S) * 2 - 1
    shapes_checked = []

    def step():
        opt.zero_grad()
        mu, logvar = enc(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = dec(z)
        mse = F.mse_loss(recon, x)  # mean over pixels and batch
        kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).reshape(batch, -1).sum(1).mean()
        loss = torch.log(mse) + beta * kl
        loss.backward()
        opt.step()
        if not shapes_checked:
            check_shape("VAE mu", mu, (batch, config.latent_dim, 1, 1))
            check_shape("VAE logvar", logvar, (batch, config.latent_dim, 1, 1))
            check_shape("VAE reconstruction", recon, (batch, config.channels, S, S))
            shapes_checked.append(True)
        return loss.item(), mse.item(), kl.item()

    return batch, batch, step


def vb_row(config, batch, directions=32):
    G = dcgan_init(dcgan_generator(config))
    check_count("paper G (discovery)", G, JAVA_COUNTS["paper G"])
    G.eval()  # BN on running statistics
    G.requires_grad_(False)  # BlockGenerator freezes G: no weight gradients, gradients still reach the input
    d = config.latent_dim
    deformator = ProjDeformator(directions, d)
    R = LeNetReconstructor(directions)
    check_count(f"proj deformator K={directions}", deformator, directions * d + d)
    check_count(f"LeNet reconstructor K={directions}", R, lenet_parameter_count_java(directions))
    opt_a = torch.optim.Adam(deformator.parameters(), lr=DISCOVERY_LR, betas=(0.9, 0.999), eps=1e-8)
    opt_r = torch.optim.Adam(R.parameters(), lr=DISCOVERY_LR, betas=(0.9, 0.999), eps=1e-8)
    S = config.image_size
    shapes_checked = []
    params = list(deformator.parameters()) + list(R.parameters())

    def step():
        z, k, eps = sample_shifts(batch, directions, d)
        opt_a.zero_grad()
        opt_r.zero_grad()
        shift = deformator(k, eps)
        images = G(torch.cat([z, z + shift], 0))  # one generator call of 2B latents
        pair = torch.cat([images[:batch], images[batch:]], 1)
        logits, eps_hat = R(pair)
        total = F.cross_entropy(logits, k) + SHIFT_WEIGHT * (eps_hat - eps).abs().mean()
        loss = total.item()
        if not math.isfinite(loss):
            raise SystemExit(f"pytorch_bench: discovery loss is {loss}")
        total.backward()
        if not shapes_checked:
            check_shape("discovery shift", shift, (batch, d, 1, 1))
            check_shape("discovery pair", pair, (batch, 2, S, S))
            check_shape("LeNet logits", logits, (batch, directions))
            check_shape("LeNet eps_hat", eps_hat, (batch,))
            shapes_checked.append(True)
        # VoynovBabenko drops a step whose gradients are not finite
        if all(torch.isfinite(p.grad).all().item() for p in params):
            opt_a.step()
            opt_r.step()
        correct = (logits.argmax(1) == k).sum().item()
        return loss, correct

    return batch, 2 * batch, step  # generated images: G(z) and G(z + shift) per sample


ROWS = {  # names fixed: the Java benchmark prints the same ones
    "gan64": lambda: gan_row(DcganConfig.cpu_default(), 64),
    "vae64": lambda: vae_row(VaeConfig.cpu_default(), 64),
    "gan128": lambda: gan_row(DcganConfig.paper(), 8),
    "vae128": lambda: vae_row(VaeConfig.paper(), 8),
    "vb128": lambda: vb_row(DcganConfig.paper(), 16),
}
assert tuple(ROWS) == ROW_NAMES


def kernel_paths():
    """The instruction sets this PyTorch runs, as far as it tells: ATen's own kernels (torch.__config__.show(), which
    ATEN_CPU_CAPABILITY lowers), OpenBLAS's kernel family (OPENBLAS_CORETYPE picks another) and oneDNN's cap as set
    in the environment (oneDNN 2.6 has no query for it)."""
    import ctypes
    aten = next((l.split(":", 1)[1].strip() for l in torch.__config__.show().splitlines() if "CPU capability usage" in l), "unknown")
    blas = "unknown"
    try:
        corename = ctypes.CDLL("libopenblas.so.0").openblas_get_corename
        corename.restype = ctypes.c_char_p
        blas = "OpenBLAS " + corename().decode()
    except (OSError, AttributeError):
        pass
    onednn = os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or "not capped"
    return {"aten": aten, "blas": blas, "onednn_cap": onednn}


def main(args):
    global CONV_TRANSPOSE
    ap = arg_parser()
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown or not rows:
        ap.error(f"unknown row(s) {unknown or args.rows!r}; choose from {', '.join(ROWS)}")
    if args.threads < 1 or args.reps < 1 or args.blas_threads < 1:
        ap.error("--threads, --reps and --blas-threads must be >= 1")
    if not (0 <= args.warmup_seconds <= 600 and 0 <= args.timed_seconds <= 600):
        ap.error("--warmup-seconds and --timed-seconds must be from 0 to 600")
    CONV_TRANSPOSE = args.conv_transpose

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(args.threads)
    except RuntimeError:
        pass  # only settable before the first parallel work; irrelevant for these single-stream steps
    torch.manual_seed(1)
    mkldnn = bool(torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled)
    log(f"torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {mkldnn}, "
        f"OPENBLAS_NUM_THREADS {os.environ.get('OPENBLAS_NUM_THREADS')}, transposed convolutions: {CONV_TRANSPOSE}")
    numerics_probe()
    kernels = kernel_paths()
    log(f"kernels: {kernels}")

    for name in rows:
        log(f"{name}: building")
        torch.manual_seed(1)  # each row starts from the same seed whichever rows run before it
        batch, images, step = ROWS[name]()
        best = time_best(name, step, args.reps, args.warmup_seconds, args.timed_seconds)
        row = {"row": name, "img_per_s": round(images / best, 4), "seconds_per_iteration": round(best, 6), "batch": batch,
               "threads": args.threads, "torch": torch.__version__, "mkldnn": mkldnn, **kernels}
        if CONV_TRANSPOSE != "native":
            row["conv_transpose"] = CONV_TRANSPOSE  # only off the default, so default lines keep the agreed fields
        print("pytorch-row " + json.dumps(row), flush=True)
        del step
        gc.collect()


def time_best(name, step, reps, warmup_seconds, timed_seconds):
    """The rule of the Java side (bench/Timing.java): warm up for warmup_seconds (at least one iteration: optimizer
    state, kernel choice, first-touch allocation), then time at least reps iterations and timed_seconds; the best."""
    start = time.perf_counter()
    warmups = 0
    while True:
        step()
        warmups += 1
        if time.perf_counter() - start >= warmup_seconds:
            break
    log(f"{name}: {warmups} warm-up iteration(s), {time.perf_counter() - start:.3f} s")
    best, i, start = math.inf, 0, time.perf_counter()
    while i < reps or time.perf_counter() - start < timed_seconds:
        t0 = time.perf_counter()
        step()
        s = time.perf_counter() - t0
        best = min(best, s)
        i += 1
        log(f"{name}: rep {i} {s:.3f} s")
    return best


if __name__ == "__main__":
    main(ARGS)
