"""Build the sample study's feedback exports from the hand-written sources.

Writes, under ``interview_data/feedback/`` (``--study DIR`` writes under ``DIR/feedback/``):

* ``app_store_reviews.csv`` (review_id, date, store, author, rating, title, review)
* ``post_trip_survey.xlsx`` (sheets "Responses" and "Follow-ups")
* ``support_emails.jsonl`` (one ticket per line)

and, under ``tools/sample_study/`` (or ``--keys DIR``), ``feedback_answer_key.csv``
(source_id, key, theme) and ``feedback_pii_ledger.csv`` (source_id, key, kind, value).

Every text comes verbatim from ``feedback_sources/``; this script only adds ids, dates,
survey scores (NPS derived from the hand-set CSAT) and survey respondent names, all from a
fixed seed, so re-running it gives byte-identical files.

Run from the project root::

    python tools/sample_study/make_feedback.py [--study DIR] [--keys DIR]

``make sample-study`` runs it with the other steps (see README.md).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from common import write_stable_zip, write_table  # noqa: E402
from feedback_sources import (  # noqa: E402
    emails_a, emails_b, emails_c, emails_d, names, reviews_a, reviews_b, reviews_c,
    survey_a, survey_b, survey_c,
)

SEED = 20260815
REVIEWS_ID = "feedback/app_store_reviews.csv"
SURVEY_ID = "feedback/post_trip_survey.xlsx"
EMAILS_ID = "feedback/support_emails.jsonl"

STORES = {"AS": "App Store", "GP": "Google Play"}
TRIP_TYPES = {"F": "Flight", "H": "Hotel", "B": "Flight + Hotel"}
NPS_BAND = {1: (0, 3), 2: (1, 5), 3: (5, 7), 4: (7, 9), 5: (9, 10)}
SURVEY_COLUMNS = [
    "Response ID", "Submitted", "Trip type", "Booking channel", "NPS (0-10)", "CSAT (1-5)",
    "What happened on your trip? (free text)", "Customer name", "Email",
]
EMAIL_DOMAINS = ["example.com", "example.org", "mail.test"]


def _random_datetime(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    seconds = int((end - start).total_seconds())
    moment = start + dt.timedelta(seconds=rng.randrange(seconds))
    return moment.replace(second=0, microsecond=0)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in " -")


def _email_for(name: str, rng: random.Random) -> str:
    parts = _ascii(name).replace("-", " ").split()
    first, last = parts[0], parts[-1]
    local = rng.choice([f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last}", f"{first}_{last[0]}"])
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def build_reviews(rng: random.Random) -> tuple[list[dict], list[tuple], list[tuple]]:
    items = list(reviews_a.ITEMS) + list(reviews_b.ITEMS) + list(reviews_c.ITEMS)
    rng.shuffle(items)
    dates = sorted(
        (_random_datetime(rng, dt.datetime(2026, 6, 20), dt.datetime(2026, 9, 1)).date() for _ in items),
        reverse=True,
    )
    ids = rng.sample(range(10000, 99999), len(items))
    rows, key_rows, pii_rows = [], [], []
    for (theme, store, author, rating, title, review, pii), date, number in zip(items, dates, ids):
        review_id = f"R-{number}"
        rows.append({
            "review_id": review_id, "date": date.isoformat(), "store": STORES[store],
            "author": author, "rating": rating, "title": title, "review": review,
        })
        key_rows.append((REVIEWS_ID, review_id, theme))
        pii_rows.extend((REVIEWS_ID, review_id, kind, value) for kind, value in pii)
    return rows, key_rows, pii_rows


def _survey_sheet(items: list[tuple], n_empty: int, start_number: int, rng: random.Random,
                  pool: list[str], first_day: dt.datetime) -> list[dict]:
    entries: list[tuple | None] = list(items) + [None] * n_empty
    rng.shuffle(entries)
    stamps = sorted(_random_datetime(rng, first_day, dt.datetime(2026, 9, 1)) for _ in entries)
    rows = []
    for offset, (entry, submitted) in enumerate(zip(entries, stamps)):
        if entry is None:  # respondent left the free-text question blank
            csat = rng.randint(2, 5)
            theme, trip, channel, text, pii, name = None, rng.choice("FHB"), rng.choice(
                ["App", "Website", "Call centre", "Airport desk"]), None, [], None
        else:
            theme, trip, channel, csat, text, pii, name = entry
        name = name or pool.pop()
        low, high = NPS_BAND[csat]
        rows.append({
            "Response ID": f"PTS-{start_number + offset:05d}",
            "Submitted": submitted,
            "Trip type": TRIP_TYPES[trip],
            "Booking channel": channel,
            "NPS (0-10)": rng.randint(low, high),
            "CSAT (1-5)": csat,
            "What happened on your trip? (free text)": text,
            "Customer name": name,
            "Email": _email_for(name, rng),
            "_theme": theme,
            "_pii": pii,
        })
    return rows


def build_survey(rng: random.Random) -> tuple[dict[str, list[dict]], list[tuple], list[tuple]]:
    pool = list(names.SURVEY_NAMES)
    rng.shuffle(pool)
    sheets = {
        "Responses": _survey_sheet(list(survey_a.ITEMS) + list(survey_b.ITEMS), 4, 10001, rng, pool, dt.datetime(2026, 5, 4)),
        "Follow-ups": _survey_sheet(list(survey_c.ITEMS), 1, 20001, rng, pool, dt.datetime(2026, 7, 6)),
    }
    key_rows, pii_rows = [], []
    for rows in sheets.values():
        for row in rows:
            if row["_theme"] is None:
                continue
            key_rows.append((SURVEY_ID, row["Response ID"], row["_theme"]))
            pii_rows.extend((SURVEY_ID, row["Response ID"], kind, value) for kind, value in row["_pii"])
    return sheets, key_rows, pii_rows


def build_emails(rng: random.Random) -> tuple[list[dict], list[tuple], list[tuple]]:
    items = list(emails_a.ITEMS) + list(emails_b.ITEMS) + list(emails_c.ITEMS) + list(emails_d.ITEMS)
    rng.shuffle(items)
    stamps = sorted(_random_datetime(rng, dt.datetime(2026, 8, 15), dt.datetime(2026, 8, 28)) for _ in items)
    number = 10234
    rows, key_rows, pii_rows = [], [], []
    for (theme, customer, address, subject, body, pii), received in zip(items, stamps):
        ticket_id = f"T-{number}"
        number += rng.randint(1, 9)
        rows.append({
            "ticket_id": ticket_id,
            "received_at": received.strftime("%Y-%m-%dT%H:%M:00Z"),
            "channel": "email",
            "subject": subject,
            "body": body.strip("\n"),
            "customer": customer,
            "customer_email": address,
        })
        key_rows.append((EMAILS_ID, ticket_id, theme))
        pii_rows.extend((EMAILS_ID, ticket_id, kind, value) for kind, value in pii)
    return rows, key_rows, pii_rows


def write_reviews(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_MINIMAL,
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_survey(sheets: dict[str, list[dict]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    widths = [13, 18, 15, 16, 11, 11, 90, 22, 32]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(SURVEY_COLUMNS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[column] for column in SURVEY_COLUMNS])
            sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd hh:mm"
            sheet.cell(row=sheet.max_row, column=7).alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        sheet.freeze_panes = "A2"
    # Fixed document times keep the file stable across runs.
    fixed = dt.datetime(2026, 9, 1, 9, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "Skylark Travel survey platform"
    buffer = io.BytesIO()
    workbook.save(buffer)

    def fix_modified(name: str, data: bytes) -> bytes:  # openpyxl stamps "modified" with the clock
        if name != "docProps/core.xml":
            return data
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-09-01T09:00:00Z", data)

    # Re-pack with fixed zip timestamps so the .xlsx is byte-identical on every run.
    write_stable_zip(buffer.getvalue(), path, (2026, 9, 1, 9, 0, 0), patch=fix_modified)


def write_emails(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Build the three exports and the feedback answer key and PII ledger; print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--study", type=Path, default=ROOT / "interview_data",
                        help="study folder; the exports go to STUDY/feedback/ (default: interview_data)")
    parser.add_argument("--keys", type=Path, default=HERE,
                        help="folder for feedback_answer_key.csv and feedback_pii_ledger.csv "
                             "(default: tools/sample_study)")
    args = parser.parse_args(argv)
    out_dir = args.study / "feedback"
    out_dir.mkdir(parents=True, exist_ok=True)
    args.keys.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    reviews, review_keys, review_pii = build_reviews(rng)
    sheets, survey_keys, survey_pii = build_survey(rng)
    emails, email_keys, email_pii = build_emails(rng)
    write_reviews(reviews, out_dir / "app_store_reviews.csv")
    write_survey(sheets, out_dir / "post_trip_survey.xlsx")
    write_emails(emails, out_dir / "support_emails.jsonl")
    write_table(args.keys / "feedback_answer_key.csv", ["source_id", "key", "theme"],
                review_keys + survey_keys + email_keys)
    ledger = list(dict.fromkeys(review_pii + survey_pii + email_pii))
    write_table(args.keys / "feedback_pii_ledger.csv", ["source_id", "key", "kind", "value"], ledger)
    n_survey = sum(len(rows) for rows in sheets.values())
    print(f"reviews: {len(reviews)}  survey rows: {n_survey} ({len(survey_keys)} with text)  "
          f"emails: {len(emails)}  answer-key rows: {len(review_keys) + len(survey_keys) + len(email_keys)}  "
          f"ledger rows: {len(ledger)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
