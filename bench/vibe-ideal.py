#!/usr/bin/env python3
"""nDCG@10 of a vibe-bench --out file against the ideal its own repeat rule allows.

vibe-bench scores a result that repeats a song already listed (same artists, same base title) as 0, but builds
its ideal ranking from every track id, repeats included. Where the catalog holds a song under several ids (Daft
Punk's 4 songs have 8), no list can reach that ideal: "tracks by Daft Punk" tops out at 0.648. This script reuses
vibe-bench's own catalog loader and grading, keeps each song's best grade once, and rescales each query's nDCG by
the ratio of the two ideals (the DCG of the returned list is unchanged). It prints both figures per query where
they differ, and writes `ndcg_song_ideal` into each row of the --out file.

  python3 bench/vibe-ideal.py --bench ../shared/bench --queries Q.jsonl --out RESULTS.json
"""
import argparse, importlib.util, json, os


def load_vibebench(folder):
    spec = importlib.util.spec_from_file_location("vibebench", os.path.join(folder, "vibebench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def song_keys(vb, tracks):
    """Each track id's song, as vibe-bench tells repeats apart."""
    return {i: (frozenset(vb.norm(a) for a in t["artists"]), vb.base_title(t["name"])) for i, t in tracks.items()}


def ideals(vb, q, tracks, songs, ctx, k):
    """(vibe-bench's ideal over track ids, the ideal over distinct songs)."""
    by_id, best = [], {}
    for i, t in tracks.items():
        g = vb.grade(q, t, ctx)
        by_id.append(g)
        best[songs[i]] = max(best.get(songs[i], 0.0), g)
    by_id.sort(reverse=True)
    by_song = sorted(best.values(), reverse=True)
    return vb.dcg(by_id[:k]), vb.dcg(by_song[:k])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True, help="a vibe-bench --out file; rewritten with ndcg_song_ideal")
    ap.add_argument("--data", help="the catalog CSV (default: vibe-bench's, ../data beside its folder)")
    ap.add_argument("--likes", help="the likes file (default: vibe-bench's likes.txt)")
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()

    vb = load_vibebench(a.bench)
    data = a.data or os.path.join(a.bench, "..", "data", "spotify_tracks_dataset_114k.csv.gz")
    tracks = vb.load_catalog(data)
    liked, liked_titles = vb.load_likes(a.likes or os.path.join(a.bench, "likes.txt"), tracks)
    ctx = {"liked": liked, "liked_titles": liked_titles}
    songs = song_keys(vb, tracks)
    queries = {q["id"]: q for q in (json.loads(l) for l in open(a.queries, encoding="utf-8") if l.strip())}
    rows = json.load(open(a.out, encoding="utf-8"))
    for row in rows:
        by_id, by_song = ideals(vb, queries[row["id"]], tracks, songs, ctx, a.k)
        # A list's DCG never exceeds the song ideal (repeats score 0); min() only absorbs float rounding.
        row["ndcg_song_ideal"] = min(1.0, row["ndcg"] * by_id / by_song) if by_song else 0.0
        if abs(row["ndcg_song_ideal"] - row["ndcg"]) > 5e-4:
            print(f"{row['id']:>8}  nDCG {row['ndcg']:.3f} -> {row['ndcg_song_ideal']:.3f}  {row['query']}")
    mean = lambda key: sum(r[key] for r in rows) / len(rows)
    print(f"queries {len(rows)}  mean nDCG@{a.k} {mean('ndcg'):.3f}, against the song ideal {mean('ndcg_song_ideal'):.3f}"
          f"; lowest {min(r['ndcg'] for r in rows):.3f} -> {min(r['ndcg_song_ideal'] for r in rows):.3f}")
    json.dump(rows, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
