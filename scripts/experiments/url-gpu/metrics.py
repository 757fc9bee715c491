"""Metrics as src/core/metrics.ts computes them (ties in ROC-AUC count half; detection at a false-positive
rate counts malicious scores strictly above the benign score at that rank), and the study's report."""
import numpy as np


def rank_auc(s, y):
    s = np.asarray(s, np.float64)
    y = np.asarray(y) > 0.5
    npos, nneg = int(y.sum()), int((~y).sum())
    if npos == 0 or nneg == 0:
        return None
    order = np.argsort(s, kind='mergesort')
    ss = s[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(ss):
        j = i
        while j + 1 < len(ss) and ss[j + 1] == ss[i]:
            j += 1
        ranks[order[i: j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def tpr_at(s, y, fpr):
    s = np.asarray(s)
    y = np.asarray(y) > 0.5
    neg = np.sort(s[~y])[::-1]
    pos = s[y]
    if len(neg) == 0 or len(pos) == 0:
        return None
    thr = neg[int(np.floor(fpr * len(neg)))]
    return float((pos > thr).mean())


def metrics(s, y):
    s = np.asarray(s)
    y = np.asarray(y) > 0.5
    f = s >= 0.5
    tp, fp = int((f & y).sum()), int((f & ~y).sum())
    fn, tn = int((~f & y).sum()), int((~f & ~y).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        'n': len(s), 'accuracy': (tp + tn) / max(1, len(s)), 'precision': p, 'recall': r,
        'f1': 2 * p * r / (p + r) if p + r else 0.0, 'roc_auc': rank_auc(s, y),
        'det_1pct': tpr_at(s, y, 0.01), 'det_01pct': tpr_at(s, y, 0.001), 'confusion': [[tn, fp], [fn, tp]],
    }


def fmt(v, pct=False):
    if v is None:
        return ''
    return f'{100 * v:.1f}%' if pct else f'{v:.3f}'


def row(label, m):
    c = m['confusion']
    return (f'| {label} | {m["n"]} | {fmt(m["accuracy"], True)} | {fmt(m["precision"])} | {fmt(m["recall"])} | '
            f'{fmt(m["roc_auc"])} | {fmt(m["det_1pct"], True)} | {fmt(m["det_01pct"], True)} | '
            f'TN {c[0][0]} FP {c[0][1]} FN {c[1][0]} TP {c[1][1]} |')


HEAD = ('| model | rows | accuracy | precision | recall | ROC-AUC | detection @1% FPR | @0.1% FPR | confusion @0.5 |\n'
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n')


def markdown(results, meta):
    """Pooled leave-one-source-out per model and beside the shipped n-grams (scored in Node on the same rows),
    the mean of each with the n-grams, per-source ROC-AUC, the outside split, and each fold's cost."""
    y, ng = meta['y'], meta['ngram']
    ids = results.get('test_ids', {})
    loso = [f for f in ids if f.startswith('leave-out:')]
    out = [f'# URL models on a GPU: leave-one-source-out (seed {results["seed"]}, {results["device"]})\n']
    if loso:
        all_ids = np.concatenate([ids[f] for f in loso])
        out.append(f'\n## Pooled leave-one-source-out ({len(loso)} held-out sources, {len(all_ids)} rows)\n\n' + HEAD)
        out.append(row('ngram (shipped configuration, Node)', metrics(ng[all_ids], y[all_ids])) + '\n')
        pooled = {}
        for n in results['models']:
            if all(f in results['scores'][n] for f in loso):
                s = np.concatenate([results['scores'][n][f] for f in loso])
                pooled[n] = s
                out.append(row(n, metrics(s, y[all_ids])) + '\n')
        for n, s in pooled.items():
            out.append(row(f'mean of ngram and {n}', metrics((s + ng[all_ids]) / 2, y[all_ids])) + '\n')
        if len(pooled) > 1:
            s = np.mean([*pooled.values(), ng[all_ids]], 0)
            out.append(row('mean of all', metrics(s, y[all_ids])) + '\n')
        out.append('\n## Per held-out source, ROC-AUC (sources with both classes)\n\n| source | ngram (Node) | ' + ' | '.join(results['models']) + ' |\n|' + ' --- |' * (len(results['models']) + 2) + '\n')
        for f in loso:
            t = np.array(ids[f])
            a = rank_auc(ng[t], y[t])
            if a is None:
                det = [f'{100 * float((np.array(results["scores"][n][f]) >= 0.5).mean()):.1f}% at 0.5' if f in results['scores'][n] else '' for n in results['models']]
                out.append(f'| {f[10:]} (malicious only) | {100 * float((ng[t] >= 0.5).mean()):.1f}% at 0.5 | ' + ' | '.join(det) + ' |\n')
                continue
            cells = [fmt(rank_auc(results['scores'][n][f], y[t])) if f in results['scores'][n] else '' for n in results['models']]
            out.append(f'| {f[10:]} | {fmt(a)} | ' + ' | '.join(cells) + ' |\n')
    if 'outside' in ids:
        t = np.array(ids['outside'])
        out.append('\n## Outside: news links vs Maltrail URLs (trained on every URL-set row)\n\n' + HEAD)
        out.append(row('ngram (shipped configuration, Node)', metrics(ng[t], y[t])) + '\n')
        for n in results['models']:
            if 'outside' in results['scores'][n]:
                out.append(row(n, metrics(results['scores'][n]['outside'], y[t])) + '\n')
    out.append('\n## Folds\n\n| split | model | train rows | test rows | best epoch | seconds |\n| --- | --- | --- | --- | --- | --- |\n')
    for f in results['folds']:
        out.append(f'| {f["split"]} | {f["model"]} | {f["train"]} | {f["test"]} | {f["best_epoch"]} | {f["seconds"]} |\n')
    return ''.join(out)
