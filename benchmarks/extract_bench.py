"""How long extraction takes: the seed article, and articles of 800 and 3,000 words.

The longer articles are the seed's paragraphs followed by paragraphs of other stories written
for this benchmark (speech, dates and names in the proportions of news copy), so the timing
exercises every rule. Cold is the first call in the process (imports, dateparser's language
data, the blank spaCy pipeline); warm is the median of the next runs. Target: an 800-word
article in under 2 s warm.

    python benchmarks/extract_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "000_4c4fdb7f43b4f576.txt"
PUBLISHED = dt.date(2024, 2, 12)
FILLER = (
    "Speaking to reporters on Tuesday, Mayor Ana Lopez said that the bridge would reopen in June.",
    "“We have done everything the engineers asked,” she added. “The rest is up to the council.”",
    "Opposition leader Tom Baker claimed that the repairs had been botched and cost twice the estimate.",
    "The city council has said it will publish the inspection reports, according to a statement on Friday.",
    "Last year, the National Roads Agency (NRA) closed the bridge after cracks were found in its piers.",
    "NRA spokesman Peter Walsh denied that the agency had ignored warnings in 2021.",
    "Earlier, the Daily Courier reported that the contractor had been fined three times.",
    "The contractor, which employs 400 people, did not respond to requests for comment.",
)


def article(words: int) -> str:
    """The seed article followed by filler paragraphs, up to about ``words`` words."""
    text = SEED.read_text(encoding="utf-8")
    index = 0
    while len(text.split()) < words:
        text += "\n" + FILLER[index % len(FILLER)]
        index += 1
    return text


def timed(text: str, runs: int) -> tuple[float, float, int]:
    from timeline.extract import Article, extract

    def once() -> tuple[float, int]:
        began = time.perf_counter()
        events = extract([Article(text, PUBLISHED, "RT", "bench")]).events
        return time.perf_counter() - began, len(events)

    first, count = once()
    warm = [once()[0] for _ in range(runs)]
    return first, statistics.median(warm), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    began = time.perf_counter()
    import timeline.extract  # noqa: F401  (the import is part of a cold start)

    imports = time.perf_counter() - began
    print(f"import timeline.extract: {imports:.2f} s")
    print(f"{'article':<22}{'words':>7}{'candidates':>12}{'first call':>12}{'warm (median)':>15}{'target':>10}")
    for label, text in (
        ("seed", SEED.read_text(encoding="utf-8")),
        ("seed + filler", article(800)),
        ("seed + filler", article(3000)),
    ):
        first, warm, count = timed(text, args.runs)
        words = len(text.split())
        target = "< 2 s" if 700 <= words <= 900 else ""
        verdict = ("ok" if warm < 2 else "SLOW") if target else ""
        print(f"{label:<22}{words:>7}{count:>12}{first:>11.3f}s{warm:>14.3f}s{target:>7} {verdict}")


if __name__ == "__main__":
    main()
