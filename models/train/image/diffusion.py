"""Noise schedule and DDIM sampling (diffusers' DDIMScheduler semantics, eta 0) for training-time samples,
the model card's figures and the export checks. The exported scheduler_config.json states the same schedule."""
import torch

SCHEDULER_CONFIG = {
    "_class_name": "DDIMScheduler",
    "num_train_timesteps": 1000,
    "beta_start": 0.0001,
    "beta_end": 0.02,
    "beta_schedule": "linear",
    "prediction_type": "epsilon",
    "timestep_spacing": "trailing",
    "steps_offset": 0,
    "set_alpha_to_one": False,
    "clip_sample": False,
}


class Schedule:
    def __init__(self, cfg=SCHEDULER_CONFIG):
        self.n = cfg["num_train_timesteps"]
        betas = torch.linspace(cfg["beta_start"], cfg["beta_end"], self.n, dtype=torch.float64)
        self.ac = torch.cumprod(1.0 - betas, dim=0).float()  # alphas_cumprod

    def add_noise(self, z0, noise, t):
        a = self.ac[t].view(-1, 1, 1, 1)
        return a.sqrt() * z0 + (1 - a).sqrt() * noise

    def snr(self, t):
        a = self.ac[t]
        return a / (1 - a)

    def timesteps(self, steps):
        """'trailing' spacing: round(arange(n, 0, -n/steps)) - 1 -> 999, 949, ... for 20 steps."""
        ts = torch.round(torch.arange(self.n, 0, -self.n / steps)).long() - 1
        return ts


@torch.no_grad()
def ddim_sample(unet, sched, ctx, unc, seeds, steps=20, guidance=4.0, shape=(4, 8, 8)):
    """Classifier-free guided DDIM (eta 0). ctx/unc: text states [b, L, D]; one seed per image."""
    z = torch.stack([torch.randn(shape, generator=torch.Generator().manual_seed(s)) for s in seeds])
    ts = sched.timesteps(steps)
    for i, t in enumerate(ts):
        tt = torch.full((1,), float(t))
        if guidance == 1.0:
            eps = unet(z, tt, ctx)
        else:
            e = unet(torch.cat([z, z]), tt, torch.cat([unc, ctx]))
            eu, ec = e.chunk(2)
            eps = eu + guidance * (ec - eu)
        a_t = sched.ac[t]
        prev = t - sched.n // steps
        a_prev = sched.ac[prev] if prev >= 0 else sched.ac[0]  # set_alpha_to_one False
        x0 = (z - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        z = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return z
