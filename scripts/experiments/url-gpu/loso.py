"""Leave-one-source-out ceiling study of malicious-URL models on a GPU (PyTorch).

Not part of the product (which trains and scores in Node on the CPU): it answers how far richer models
than the shipped n-grams get on the same rows and the same splits, and how eXpose does when trained on
every row for as many epochs as it needs (in Node it could afford 40,000 rows and 3 epochs).

Input: `urls.jsonl.gz` written by `export.ts` beside it (the rows exactly as `nml eval url`
loads them, each with its popularity feature and the shipped n-gram configuration's held-out score).
Output: `report.md`, `scores.json.gz` (every held-out score) and `log.txt` in --out, rewritten after every fold so a cut-off run keeps what
it finished.

    python3 scripts/experiments/url-gpu/loso.py --data urls.jsonl.gz --out OUTDIR [--models bob,expose,...]
"""
import argparse
import gzip
import json
import math
import os
import time
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from metrics import metrics, markdown

HOST_MAX = 64
PATH_MAX = 1024
PAD = 256


# ---------------------------------------------------------------------------------------------- data

def load(path):
    rows = [json.loads(l) for l in gzip.open(path, 'rt', encoding='utf-8')]
    n = len(rows)
    host = np.full((n, HOST_MAX), PAD, np.int16)
    pathb = np.full((n, PATH_MAX), PAD, np.int16)
    for i, r in enumerate(rows):
        b = r['u'].encode('utf-8', 'surrogatepass')
        h, p = b[: r['he']][:HOST_MAX], b[r['he']:][:PATH_MAX]
        host[i, : len(h)] = np.frombuffer(h, np.uint8)
        pathb[i, : len(p)] = np.frombuffer(p, np.uint8)
    meta = {
        'y': np.array([r['y'] for r in rows], np.float32),
        'source': np.array([r['s'] for r in rows]),
        'host': [r['h'] for r in rows],
        'extra': np.array([r['x'] for r in rows], bool),
        'pop': np.array([r['p'] for r in rows], np.int64),
        'ngram': np.array([r['ng'] for r in rows], np.float32),
    }
    return host, pathb, meta


def host_hash(h, seed):
    return zlib.crc32(f'{seed}:{h}'.encode()) / 2**32


def folds(meta, only=None):
    src, hosts, extra = meta['source'], meta['host'], meta['extra']
    sources = sorted(set(s for s, x in zip(src, extra) if not x and s != 'outside'))
    out = []
    for s in sources:
        if only and s not in only:
            continue
        test = np.nonzero(src == s)[0]
        th = set(hosts[i] for i in test)
        train = np.array([i for i in range(len(src)) if src[i] != s and src[i] != 'outside' and hosts[i] not in th])
        out.append((f'leave-out:{s}', train, test))
    if not only or 'outside' in only:
        out.append(('outside', np.nonzero(src != 'outside')[0], np.nonzero(src == 'outside')[0]))
    return out


def val_split(meta, train, seed):
    """10% of the training hosts (never an extra row) validate, as the Node trainer does."""
    v = np.array([not meta['extra'][i] and host_hash(meta['host'][i], seed) < 0.1 for i in train])
    return train[~v], train[v]


# -------------------------------------------------------------------------------------------- models

def bob_features(host, path):
    """Bag-of-Bytes (the issue's definition): per part, counts of every byte and of every byte straddling
    two, L2-normalised; host then path, 512 floats."""
    def part(b):
        valid = b != PAD
        bb = b.clamp(max=255)
        st = ((bb[:, :-1] & 0x0F) << 4) | (bb[:, 1:] >> 4)
        sv = valid[:, :-1] & valid[:, 1:]
        c = torch.zeros(b.shape[0], 256, device=b.device)
        c.scatter_add_(1, bb, valid.float())
        c.scatter_add_(1, st, sv.float())
        return F.normalize(c, dim=1)
    return torch.cat([part(host), part(path)], 1)


class Bob(nn.Module):
    def __init__(self, pop=False):
        super().__init__()
        self.pop = pop
        self.net = nn.Sequential(nn.Linear(512 + (7 if pop else 0), 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 1))

    def forward(self, host, path, pop):
        x = bob_features(host.long(), path.long())
        if self.pop:
            x = torch.cat([x, F.one_hot(pop + 1, 7).float()], 1)
        return self.net(x).squeeze(1)


def joined(host, path, length):
    """The URL's first `length` bytes (host then path), PAD after its end."""
    h = host.long()
    p = path.long()
    hl = (h != PAD).sum(1)
    pos = torch.arange(length, device=h.device).unsqueeze(0)
    from_host = pos < hl.unsqueeze(1)
    hi = pos.clamp(max=h.shape[1] - 1).expand(h.shape[0], -1)
    pi = (pos - hl.unsqueeze(1)).clamp(min=0, max=p.shape[1] - 1)
    return torch.where(from_host, h.gather(1, hi), p.gather(1, pi))


class Expose(nn.Module):
    """eXpose (Saxe & Berlin 2017) as the issue gives it: 32-dim byte embedding over the first 200 bytes,
    convolutions of widths 2-5 with 256 filters each, sum-pooled, three dense layers of 1024, dropout 0.5."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(257, 32, padding_idx=PAD)
        self.convs = nn.ModuleList([nn.Conv1d(32, 256, k) for k in (2, 3, 4, 5)])
        layers, d = [], 1024
        for _ in range(3):
            layers += [nn.Linear(d, 1024), nn.ReLU(), nn.Dropout(0.5)]
        self.dense = nn.Sequential(*layers, nn.Linear(1024, 1))

    def forward(self, host, path, pop):
        t = joined(host, path, 200)
        mask = (t != PAD).float()
        x = self.emb(t).transpose(1, 2)
        pooled = []
        for conv in self.convs:
            k = conv.kernel_size[0]
            m = mask[:, k - 1:] * mask[:, : mask.shape[1] - k + 1]
            pooled.append((F.relu(conv(x)) * m.unsqueeze(1)).sum(2))
        return self.dense(torch.cat(pooled, 1)).squeeze(1)


GRAM_BUCKETS = 1 << 20


def gram_ids(b, salt, lower):
    """Hashed ids of every 1- to 5-byte gram of each row, with begin and end marks (0 = no gram)."""
    b = b.long()
    valid = b != PAD
    if lower:
        b = torch.where((b >= 65) & (b <= 90), b + 32, b)
    n = valid.sum(1)
    L = b.shape[1] + 2
    seq = torch.full((b.shape[0], L), -1, dtype=torch.long, device=b.device)
    seq[:, 0] = 256
    seq[:, 1:-1] = torch.where(valid, b, torch.full_like(b, -1))
    seq.scatter_(1, (n + 1).unsqueeze(1), 257)
    ids = []
    h = torch.full_like(seq, salt)
    ok = torch.ones_like(seq, dtype=torch.bool)
    for g in range(5):
        sh = torch.full_like(seq, -1)
        sh[:, : L - g] = seq[:, g:]
        ok = ok & (sh >= 0)
        h = ((h * 1000003) ^ (sh + 1)) & 0x7FFFFFFF
        mixed = ((h * 0x9E3779B1) >> 7) & (GRAM_BUCKETS - 1)
        ids.append(torch.where(ok, mixed + 1, torch.zeros_like(mixed)))
    return torch.cat(ids, 1)


class HashGram(nn.Module):
    """Hashed byte 1-5-grams of host and path. dim 1 and no hidden layer: the shipped n-gram model's form
    (logistic regression, sum / sqrt(count)); dim > 1: a fastText-like bag of gram vectors and an MLP."""

    def __init__(self, dim=1, pop=True):
        super().__init__()
        self.dim = dim
        self.pop = pop
        self.emb = nn.Embedding(GRAM_BUCKETS + 1, dim, padding_idx=0)
        nn.init.normal_(self.emb.weight, std=0.01 if dim > 1 else 0.0)
        with torch.no_grad():
            self.emb.weight[0].zero_()
        self.popw = nn.Embedding(7, dim if dim > 1 else 1)
        nn.init.zeros_(self.popw.weight)
        if dim > 1:
            self.head = nn.Sequential(nn.Linear(2 * dim, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 1))
        else:
            self.bias = nn.Parameter(torch.zeros(1))

    def bag(self, ids):
        cnt = (ids > 0).sum(1, keepdim=True).clamp(min=1).float()
        return self.emb(ids).sum(1) / cnt.sqrt()

    def forward(self, host, path, pop):
        hi = gram_ids(host, 17, True)
        pi = gram_ids(path, 91, False)
        p = self.popw(pop + 1) if self.pop else 0
        if self.dim == 1:
            ids = torch.cat([hi, pi], 1)
            return (self.bag(ids) + p).squeeze(1) + self.bias
        return self.head(torch.cat([self.bag(hi) + p, self.bag(pi)], 1)).squeeze(1)


class ByteTransformer(nn.Module):
    """A small byte-level transformer: [CLS] host [SEP] path (first 160 tokens), learned positions and a
    host/path segment embedding; the popularity feature is added to [CLS]."""

    def __init__(self, d=128, layers=4, heads=4, length=160, pop=True):
        super().__init__()
        self.length = length
        self.pop = pop
        self.tok = nn.Embedding(260, d, padding_idx=PAD)
        self.pos = nn.Embedding(length, d)
        self.seg = nn.Embedding(2, d)
        self.popv = nn.Embedding(7, d)
        nn.init.zeros_(self.popv.weight)
        enc = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True, norm_first=True, activation='gelu')
        self.enc = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def forward(self, host, path, pop):
        h, p = host.long(), path.long()
        hl = (h != PAD).sum(1, keepdim=True)
        n = h.shape[0]
        cls = torch.full((n, 1), 257, device=h.device)
        sep = torch.full((n, 1), 258, device=h.device)
        # host (left-aligned, PAD after), SEP, path: squeeze the host's padding out by gathering
        raw = torch.cat([cls, h, sep, p[:, : self.length]], 1)
        pos = torch.arange(raw.shape[1], device=h.device).unsqueeze(0)
        keep_host = (pos >= 1) & (pos <= h.shape[1]) & (pos - 1 < hl)
        keep = (pos == 0) | keep_host | (pos > h.shape[1])
        width = min(self.length, int(keep.sum(1).max().item()))
        order = torch.argsort((~keep).int() * 100000 + pos, dim=1, stable=True)[:, :width]
        t = raw.gather(1, order)
        seg = ((order > h.shape[1]) & (order != 0)).long()
        x = self.tok(t) + self.pos(torch.arange(width, device=h.device)) + self.seg(seg)
        if self.pop:
            x[:, 0] = x[:, 0] + self.popv(pop + 1)
        x = self.enc(x, src_key_padding_mask=(t == PAD))
        return self.out(self.norm(x[:, 0])).squeeze(1)


MODELS = {
    'bob': lambda: (Bob(), dict(lr=1e-3, epochs=8, batch=512)),
    'bob-pop': lambda: (Bob(pop=True), dict(lr=1e-3, epochs=8, batch=512)),
    'expose': lambda: (Expose(), dict(lr=1e-3, epochs=6, batch=512)),
    'gram-lr': lambda: (HashGram(1), dict(lr=0.1, epochs=3, batch=512, opt='adagrad')),
    'gram-mlp': lambda: (HashGram(64), dict(lr=2e-3, epochs=5, batch=512)),
    'transformer': lambda: (ByteTransformer(), dict(lr=1e-3, epochs=5, batch=512, warmup=300)),
    'transformer-nopop': lambda: (ByteTransformer(pop=False), dict(lr=1e-3, epochs=5, batch=512, warmup=300)),
}


def trim(b):
    """Bytes are left-aligned with PAD after: drop the columns no row of the batch reaches."""
    n = int((b != PAD).sum(1).max().item()) if b.shape[0] else 1
    return b[:, : max(1, n)]


# ------------------------------------------------------------------------------------------ training

def train_fold(name, host, path, meta, train, val, test, seed, dev, budget_end, log):
    torch.manual_seed(seed)
    model, hp = MODELS[name]()
    model.to(dev)
    rng = np.random.default_rng(seed)
    y = torch.tensor(meta['y'], device=dev)
    pop = torch.tensor(meta['pop'], device=dev)
    extra = torch.tensor(meta['extra'], device=dev)
    npos = float(meta['y'][train].sum())
    pos_weight = torch.tensor((len(train) - npos) / max(npos, 1.0), device=dev)
    if hp.get('opt') == 'adagrad':
        opt = torch.optim.Adagrad(model.parameters(), lr=hp['lr'])
    else:
        opt = torch.optim.AdamW(model.parameters(), lr=hp['lr'], weight_decay=0.01 if 'transformer' in name else 0.0)
    steps_per_epoch = math.ceil(len(train) / hp['batch'])
    total = steps_per_epoch * hp['epochs']
    warm = hp.get('warmup', 0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) if warm and s < warm else (0.5 * (1 + math.cos(math.pi * min(1.0, (s - warm) / max(1, total - warm)))) if warm else 1.0))
    use_amp = dev.type == 'cuda' and 'transformer' in name

    def scores(ids):
        model.eval()
        out = []
        with torch.no_grad(), torch.autocast('cuda', torch.bfloat16, enabled=use_amp):
            for k in range(0, len(ids), 4096):
                i = torch.tensor(ids[k: k + 4096], device=dev)
                out.append(torch.sigmoid(model(trim(host[i]), trim(path[i]), pop[i]).float()))
        return torch.cat(out).cpu().numpy() if out else np.zeros(0, np.float32)

    best, best_epoch, best_state = float('inf'), 0, None
    t0 = time.time()
    for epoch in range(1, hp['epochs'] + 1):
        model.train()
        order = rng.permutation(train)
        for k in range(0, len(order), hp['batch']):
            i = torch.tensor(order[k: k + hp['batch']], device=dev)
            p = pop[i]
            # as the shipped trainer: URL-set rows learn half the time as if their domain were unlisted
            drop = (torch.rand(len(i), device=dev) < 0.5) & ~extra[i]
            p = torch.where(drop, torch.full_like(p, -1), p)
            with torch.autocast('cuda', torch.bfloat16, enabled=use_amp):
                logit = model(trim(host[i]), trim(path[i]), p).float()
            loss = F.binary_cross_entropy_with_logits(logit, y[i], pos_weight=pos_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        sv = scores(val)
        yv = meta['y'][val]
        w = np.where(yv == 1, float(pos_weight), 1.0)
        vl = float(-(w * (yv * np.log(np.clip(sv, 1e-7, 1)) + (1 - yv) * np.log(np.clip(1 - sv, 1e-7, 1)))).sum() / w.sum())
        log(f'  {name} epoch {epoch}: val loss {vl:.4f} ({time.time() - t0:.0f}s)')
        if vl < best:
            best, best_epoch = vl, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if time.time() > budget_end:
            log(f'  {name}: out of time after epoch {epoch}')
            break
    model.load_state_dict(best_state)
    return scores(test), best_epoch, time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--models', default='bob,expose,gram-lr,gram-mlp,transformer')
    ap.add_argument('--only', default='', help='comma-separated held-out sources (and/or outside)')
    ap.add_argument('--limit', type=int, default=0, help='a random sample of this many rows (a smoke test)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--budget', type=float, default=1e9, help='seconds for the whole run; later folds stop early')
    ap.add_argument('--epochs', type=int, default=0, help='override every model\'s epochs (a smoke test)')
    a = ap.parse_args()
    t_start = time.time()
    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, 'log.txt'), 'a')

    def log(s):
        print(s, flush=True)
        logf.write(s + '\n')
        logf.flush()

    dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    log(f'device {dev} {torch.cuda.get_device_name(0) if dev.type == "cuda" else ""} torch {torch.__version__}')
    host, path, meta = load(a.data)
    if a.limit:
        keep = np.sort(np.random.default_rng(a.seed).choice(len(meta['y']), a.limit, replace=False))
        host, path = host[keep], path[keep]
        meta = {k: (v[keep] if isinstance(v, np.ndarray) else [v[i] for i in keep]) for k, v in meta.items()}
    if a.epochs:
        for k, f in list(MODELS.items()):
            MODELS[k] = (lambda f: lambda: (lambda m, hp: (m, {**hp, 'epochs': a.epochs}))(*f()))(f)
    log(f'{len(meta["y"])} rows loaded in {time.time() - t_start:.0f}s')
    host_t = torch.tensor(host.astype(np.int64), device=dev)
    path_t = torch.tensor(path.astype(np.int64), device=dev)
    names = a.models.split(',')
    fl = folds(meta, set(a.only.split(',')) if a.only else None)
    results = {'models': names, 'seed': a.seed, 'rows': len(meta['y']), 'device': str(dev), 'folds': [], 'scores': {}}
    for n in names:
        results['scores'][n] = {}
    work = len(fl) * len(names)
    done = 0
    for fname, train, test in fl:
        tr, va = val_split(meta, train, a.seed)
        for n in names:
            remaining = a.budget - (time.time() - t_start)
            share = remaining / max(1, work - done)
            log(f'{fname} {n}: {len(tr)} train, {len(va)} validate, {len(test)} test; {share:.0f}s of budget')
            s, be, secs = train_fold(n, host_t, path_t, meta, tr, va, test, a.seed, dev, time.time() + share, log)
            done += 1
            m = metrics(s, meta['y'][test])
            results['folds'].append({'split': fname, 'model': n, 'train': len(tr), 'test': len(test), 'best_epoch': be, 'seconds': round(secs, 1), **m})
            results['scores'][n][fname] = [round(float(v), 5) for v in s]
            log(f'{fname} {n}: ' + ', '.join(f'{k} {v:.4f}' for k, v in m.items() if isinstance(v, float)) + f' ({secs:.0f}s, best epoch {be})')
        results['test_ids'] = results.get('test_ids', {})
        results['test_ids'][fname] = [int(i) for i in test]
        with open(os.path.join(a.out, 'report.md'), 'w') as f:
            f.write(markdown(results, meta))
        with gzip.open(os.path.join(a.out, 'scores.json.gz'), 'wt') as f:
            json.dump(results, f)
    log(f'done in {time.time() - t_start:.0f}s')


if __name__ == '__main__':
    main()
