#!/usr/bin/env python3
"""scikit-learn TF-IDF + logistic-regression baselines for SemEval-2023 Task 3 (English):
genre (subtask 1), frames (subtask 2) and paragraph techniques (subtask 3), on the same
5 folds of articles as `claimlens eval genre / frames / techniques --folds 5`.

What a reader would build first with the standard library for the job: `TfidfVectorizer`
(defaults: lower-cased words of two or more letters, smoothed idf, L2 rows) and
`LogisticRegression` (defaults: L2, C = 1, lbfgs), plain and with balanced class weights;
one regression per frame and per technique (one-vs-rest). For techniques, besides the 0.5
threshold, one global threshold is chosen on 3 inner folds of each training part (the
issue's dev baseline found one global threshold better than one per technique). The
claimlens evaluations carry a Rust re-implementation of the same baseline; this script is
the independent check that it matches the library's.

Folds: article `ID`'s fold is the FNV-1a 64-bit hash of the id's bytes modulo the fold
count, as claimlens assigns them (`claimlens_eval::techniques::group_of`), so every
held-out article is the same in both programs. Scores follow the official scorers:
genre macro-F1 over the three genres; frames micro-F1 (and macro-F1 over the 14 frames)
over (article, frame) pairs; techniques micro-F1 over (paragraph, technique) pairs of
the labelled paragraphs, macro-F1 over techniques with gold paragraphs.

Usage (from the repository root; `bash bench/setup.sh` installs scikit-learn):
    bench/.venv/bin/python bench/semeval_baselines.py \\
        --data ../shared/data/semeval2023-persuasion-en --json bench/out/semeval.json
"""
import argparse
import json
import pathlib
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

GENRES = ["opinion", "reporting", "satire"]

# The task's 23 technique names, as its label files write them.
TECHNIQUES = [
    "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice",
    "Flag_Waving", "Causal_Oversimplification", "False_Dilemma-No_Choice",
    "Consequential_Oversimplification", "Straw_Man", "Red_Herring", "Whataboutism", "Slogans",
    "Appeal_to_Time", "Conversation_Killer", "Loaded_Language", "Repetition",
    "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion", "Name_Calling-Labeling",
    "Doubt", "Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
]


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def fold_of(article_id, folds):
    return fnv1a64(article_id) % folds


def read_articles(folder):
    out = {}
    for p in sorted(folder.glob("article*.txt")):
        out[p.stem[len("article"):]] = p.read_text(encoding="utf-8")
    return out


def read_labels(path):
    """ID<TAB>label,label (genre: one label)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            article_id, _, labels = line.partition("\t")
            out[article_id] = [x for x in labels.strip().split(",") if x]
    return out


def canonical(label, known):
    """The known name of a label; a misspelt one ("Appeal_to_Fear-Prejudi-čce") maps to the
    known name it shares the longest prefix with (at least 15 characters)."""
    if label in known:
        return label

    def common(a, b):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    best = max(known, key=lambda k: common(k, label))
    if common(best, label) < 15:
        raise SystemExit(f"unknown technique label {label!r}")
    return best


def read_paragraphs(path, articles):
    """(article id, line text, set of techniques) for every labelled line."""
    rows = []
    # Each article's lines, split once (the label file has a row per labelled line).
    article_lines = {a: text.split("\n") for a, text in articles.items()}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0]:
            continue
        article_id, number = fields[0], int(fields[1])
        labels = [x for x in (fields[2] if len(fields) > 2 else "").split(",") if x]
        lines = article_lines.get(article_id)
        if lines is None:
            continue
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        rows.append((article_id, text, labels))
    rows = [(a, t, {canonical(x, TECHNIQUES) for x in ls}) for a, t, ls in rows]
    return rows, sorted({x for _, _, ls in rows for x in ls})


def regression(balanced):
    return LogisticRegression(max_iter=2000, class_weight="balanced" if balanced else None)


def one_vs_rest_scores(train_x, train_y, test_x, balanced):
    """Probability of each column for each test row; a column without both classes in
    training scores 0 (never predicted)."""
    scores = np.zeros((test_x.shape[0], train_y.shape[1]))
    for c in range(train_y.shape[1]):
        y = train_y[:, c]
        if 0 < y.sum() < len(y):
            scores[:, c] = regression(balanced).fit(train_x, y).predict_proba(test_x)[:, 1]
    return scores


def pair_counts(gold, pred):
    tp = int(np.logical_and(gold, pred).sum())
    return tp, int(pred.sum()) - tp, int(gold.sum()) - tp


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold, pred):
    cols = [c for c in range(gold.shape[1]) if gold[:, c].any()]
    return float(np.mean([f1(*pair_counts(gold[:, c], pred[:, c])) for c in cols]))


def genre(articles, labels, folds):
    ids = [i for i in sorted(labels) if i in articles]
    y = np.array([labels[i][0] for i in ids])
    fold = np.array([fold_of(i, folds) for i in ids])
    out = {}
    for balanced in (False, True):
        pred = np.empty(len(ids), dtype=object)
        for f in range(folds):
            tr, te = fold != f, fold == f
            vec = TfidfVectorizer()
            x_tr = vec.fit_transform([articles[ids[k]] for k in np.flatnonzero(tr)])
            x_te = vec.transform([articles[ids[k]] for k in np.flatnonzero(te)])
            pred[te] = regression(balanced).fit(x_tr, y[tr]).predict(x_te)
        name = "tfidf+lr balanced" if balanced else "tfidf+lr"
        out[name] = {
            "macro_f1": f1_score(y, pred, labels=GENRES, average="macro", zero_division=0),
            "reporting_found": int(((pred == "reporting") & (y == "reporting")).sum()),
            "reporting_gold": int((y == "reporting").sum()),
        }
    return out, len(ids)


def frames(articles, labels, folds):
    ids = [i for i in sorted(labels) if i in articles]
    names = sorted({x for i in ids for x in labels[i]})
    gold = np.array([[n in labels[i] for n in names] for i in ids], dtype=bool)
    fold = np.array([fold_of(i, folds) for i in ids])
    out = {}
    for balanced in (False, True):
        pred = np.zeros_like(gold)
        for f in range(folds):
            tr, te = fold != f, fold == f
            vec = TfidfVectorizer()
            x_tr = vec.fit_transform([articles[ids[k]] for k in np.flatnonzero(tr)])
            x_te = vec.transform([articles[ids[k]] for k in np.flatnonzero(te)])
            pred[te] = one_vs_rest_scores(x_tr, gold[tr], x_te, balanced) >= 0.5
        name = "tfidf+lr balanced" if balanced else "tfidf+lr"
        out[name] = {"micro_f1": f1(*pair_counts(gold, pred)), "macro_f1": macro_f1(gold, pred)}
    return out, len(ids)


GRID = [round(0.05 * k, 2) for k in range(1, 11)]


def best_global_threshold(texts, gold, groups, inner):
    """The threshold in GRID with the best micro-F1 over `inner` folds of these rows."""
    scores = np.zeros(gold.shape)
    for f in range(inner):
        tr, te = groups % inner != f, groups % inner == f
        vec = TfidfVectorizer()
        x_tr = vec.fit_transform([texts[k] for k in np.flatnonzero(tr)])
        x_te = vec.transform([texts[k] for k in np.flatnonzero(te)])
        scores[te] = one_vs_rest_scores(x_tr, gold[tr], x_te, False)
    return max(GRID, key=lambda t: f1(*pair_counts(gold, scores >= t)))


def paragraphs(rows, names, folds, inner=3):
    texts = [t for _, t, _ in rows]
    gold = np.array([[n in ls for n in names] for _, _, ls in rows], dtype=bool)
    hashes = np.array([fnv1a64(a) for a, _, _ in rows], dtype=np.uint64)
    fold = (hashes % np.uint64(folds)).astype(int)
    # Inner folds of a training part: another draw from the same hash (its quotient), so
    # they do not line up with the outer folds.
    inner_groups = ((hashes // np.uint64(folds)) % np.uint64(inner)).astype(int)
    at_half = np.zeros_like(gold)
    tuned = np.zeros_like(gold)
    thresholds = []
    for f in range(folds):
        tr, te = fold != f, fold == f
        vec = TfidfVectorizer()
        x_tr = vec.fit_transform([texts[k] for k in np.flatnonzero(tr)])
        x_te = vec.transform([texts[k] for k in np.flatnonzero(te)])
        scores = one_vs_rest_scores(x_tr, gold[tr], x_te, False)
        at_half[te] = scores >= 0.5
        t = best_global_threshold(
            [texts[k] for k in np.flatnonzero(tr)], gold[tr], inner_groups[tr], inner
        )
        thresholds.append(t)
        tuned[te] = scores >= t
    out = {}
    for name, pred in (("tfidf+lr, threshold 0.5", at_half),
                       ("tfidf+lr, global threshold from inner folds", tuned)):
        out[name] = {"micro_f1": f1(*pair_counts(gold, pred)), "macro_f1": macro_f1(gold, pred)}
    out["tfidf+lr, global threshold from inner folds"]["thresholds"] = thresholds
    return out, len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: bench/.venv/bin/python bench/semeval_baselines.py "
                                        "--data ../shared/data/semeval2023-persuasion-en")
    ap.add_argument("--data", required=True, type=pathlib.Path,
                    help="a folder in the SemEval-2023 layout (train-articles/, train-labels-*.txt)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    args = ap.parse_args()
    articles = read_articles(args.data / "train-articles")
    if not articles:
        sys.exit(f"no article*.txt under {args.data / 'train-articles'}")
    started = time.perf_counter()
    result = {"folds": args.folds}
    result["genre"], n_genre = genre(articles, read_labels(args.data / "train-labels-genre.txt"),
                                     args.folds)
    result["frames"], n_frames = frames(
        articles, read_labels(args.data / "train-labels-framing.txt"), args.folds)
    rows, names = read_paragraphs(args.data / "train-labels-paragraphs.txt", articles)
    result["paragraphs"], n_rows = paragraphs(rows, names, args.folds)
    result["seconds"] = time.perf_counter() - started
    result["scikit_learn"] = sklearn.__version__
    print(f"{args.folds}-fold cross-validation by article (claimlens' folds); scikit-learn "
          f"{sklearn.__version__}")
    print(f"genre ({n_genre} articles), macro-F1:")
    for k, v in result["genre"].items():
        print(f"  {k:<46} {v['macro_f1']:.3f}   reporting found {v['reporting_found']} "
              f"of {v['reporting_gold']}")
    print(f"frames ({n_frames} articles), micro-F1 / macro-F1:")
    for k, v in result["frames"].items():
        print(f"  {k:<46} {v['micro_f1']:.3f} / {v['macro_f1']:.3f}")
    print(f"paragraph techniques ({n_rows} labelled paragraphs), micro-F1 / macro-F1:")
    for k, v in result["paragraphs"].items():
        extra = f"   thresholds {v['thresholds']}" if "thresholds" in v else ""
        print(f"  {k:<46} {v['micro_f1']:.3f} / {v['macro_f1']:.3f}{extra}")
    print(f"({result['seconds']:.0f} s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.json.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        tmp.replace(args.json)


if __name__ == "__main__":
    main()
