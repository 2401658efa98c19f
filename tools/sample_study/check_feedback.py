"""Check the sample study's feedback exports against their answer key and PII ledger.

Re-reads ``interview_data/feedback/`` the way an analyst would (pandas, openpyxl, json)
and checks:

* at least 430 non-empty items; empty survey answers have no answer-key row;
* every answer-key key exists, every non-empty item has exactly one theme;
* each pain theme has >= 25 items spread over >= 2 exports;
* every ledger value occurs in its item's text (title/review, survey free text,
  subject/body); cards pass Luhn, ``not_pii_number`` values are 16 digits that fail it,
  IBANs pass mod-97, booking refs look like ``SKY-XXXXXX``;
* nothing that looks like PII in the texts is missing from the ledger (emails, booking
  refs, IBANs, long digit runs, phone numbers, the customer's own names, staff names);
* no two texts are near duplicates (token Jaccard > 0.8).

Run from the project root; exits 1 and lists the problems when a check fails::

    python tools/sample_study/check_feedback.py
"""
from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FEEDBACK = ROOT / "interview_data" / "feedback"
sys.path.insert(0, str(HERE))

from common import LEDGER_KINDS, OTHER_THEMES, PAIN_THEMES, luhn_ok  # noqa: E402

# Staff and third parties named inside the texts (they go into study.toml [privacy] extra_names).
EXTRA_NAMES = [
    "Kevin", "Marco", "Sven", "Leanne", "Dominic", "Fatou", "Greta", "Imran", "Yvonne", "Tobias",
    "Samir", "Jolene", "Marisol", "Ketut", "Sofía", "Priyanka", "Bernadette", "Aisha", "Giorgos",
    "Hannah", "Luis", "Demir", "Ortega", "Pierre",
]

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BOOKING_RE = re.compile(r"\bSKY-[A-Z0-9]{6}\b")
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
DIGITS_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
PHONE_RE = re.compile(
    r"\+\d{1,3}[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{1,4}(?:[\s-]?\d{2,4}){1,4}"
    r"|\(\d{3}\)\s?\d{3}-\d{4}"
    r"|\b0\d{2,4}\s\d{3}\s?\d{3,4}\b"
)
WORD_RE = re.compile(r"[\w']+")


def iban_ok(iban: str) -> bool:
    """True when ``iban`` passes the ISO 13616 mod-97 check.

    Example:
        >>> iban_ok("GB82 WEST 1234 5698 7654 32"), iban_ok("GB83 WEST 1234 5698 7654 32")
        (True, False)
    """
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def load_items() -> tuple[dict[tuple[str, str], dict], list[tuple[str, str]]]:
    """Read the three exports; return non-empty items and the keys of empty ones."""
    items: dict[tuple[str, str], dict] = {}
    empty: list[tuple[str, str]] = []

    reviews = pd.read_csv(FEEDBACK / "app_store_reviews.csv", dtype=str, keep_default_na=False,
                          encoding="utf-8")
    assert list(reviews.columns) == ["review_id", "date", "store", "author", "rating", "title", "review"], \
        list(reviews.columns)
    for row in reviews.itertuples(index=False):
        key = ("feedback/app_store_reviews.csv", row.review_id)
        assert key not in items, f"duplicate review id {row.review_id}"
        items[key] = {"text": f"{row.title}\n{row.review}", "main": row.review, "person": row.author,
                      "rating": int(row.rating), "store": row.store}

    sheets = pd.read_excel(FEEDBACK / "post_trip_survey.xlsx", sheet_name=None)
    assert set(sheets) == {"Responses", "Follow-ups"}, list(sheets)
    text_col = "What happened on your trip? (free text)"
    for name, frame in sheets.items():
        assert list(frame.columns) == [
            "Response ID", "Submitted", "Trip type", "Booking channel", "NPS (0-10)", "CSAT (1-5)",
            text_col, "Customer name", "Email"], (name, list(frame.columns))
        assert pd.api.types.is_datetime64_any_dtype(frame["Submitted"]), f"{name}: Submitted not dates"
        for row in frame.to_dict("records"):
            key = ("feedback/post_trip_survey.xlsx", row["Response ID"])
            text = row[text_col]
            if not isinstance(text, str) or not text.strip():
                empty.append(key)
                continue
            assert key not in items, f"duplicate response id {key[1]}"
            items[key] = {"text": text, "main": text, "person": row["Customer name"],
                          "csat": int(row["CSAT (1-5)"]), "nps": int(row["NPS (0-10)"]), "sheet": name}

    with (FEEDBACK / "support_emails.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            assert set(record) == {"ticket_id", "received_at", "channel", "subject", "body", "customer",
                                   "customer_email"}, set(record)
            key = ("feedback/support_emails.jsonl", record["ticket_id"])
            assert key not in items, f"duplicate ticket {record['ticket_id']}"
            items[key] = {"text": f"{record['subject']}\n{record['body']}", "main": record["body"],
                          "person": record["customer"]}
    return items, empty


def main() -> int:
    problems: list[str] = []
    items, empty = load_items()
    per_export = Counter(source for source, _ in items)
    print("non-empty items per export:", dict(per_export), "| empty survey answers:", len(empty))
    if len(items) < 430:
        problems.append(f"only {len(items)} non-empty items (need >= 430)")

    # ------------------------------------------------------------------ answer key
    key_frame = pd.read_csv(HERE / "feedback_answer_key.csv", dtype=str)
    assert list(key_frame.columns) == ["source_id", "key", "theme"]
    seen: Counter = Counter()
    theme_of: dict[tuple[str, str], str] = {}
    for row in key_frame.itertuples(index=False):
        key = (row.source_id, row.key)
        seen[key] += 1
        theme_of[key] = row.theme
        if key not in items:
            problems.append(f"answer key {key} is not a non-empty item" + (" (empty answer)" if key in empty else ""))
        if row.theme not in PAIN_THEMES + OTHER_THEMES:
            problems.append(f"answer key {key}: unknown theme {row.theme}")
    problems += [f"answer key has {n} rows for {key}" for key, n in seen.items() if n > 1]
    problems += [f"item {key} has no answer-key row" for key in items if key not in seen]

    counts = Counter(theme_of.values())
    spread: dict[str, Counter] = defaultdict(Counter)
    for (source, _), theme in theme_of.items():
        spread[theme][source.split("/")[-1].split(".")[0]] += 1
    print("\nitems per theme (total | per export):")
    for theme in PAIN_THEMES + OTHER_THEMES:
        print(f"  {theme:28s} {counts[theme]:4d}  {dict(spread[theme])}")
        if theme in PAIN_THEMES and (counts[theme] < 25 or len(spread[theme]) < 2):
            problems.append(f"theme {theme}: {counts[theme]} items over {len(spread[theme])} exports")
    total = sum(counts.values())
    print("  shares: " + ", ".join(f"{t} {counts[t] / total:.1%}" for t in OTHER_THEMES))

    # ------------------------------------------------------------------ tone vs scores
    for key, item in items.items():
        theme = theme_of.get(key)
        score = item.get("rating", item.get("csat"))
        if score is not None and (theme in PAIN_THEMES and score > 3 or theme == "delight" and score < 4):
            problems.append(f"{key}: score {score} does not fit theme {theme}")
        if "nps" in item and not (0 <= item["nps"] <= 10):
            problems.append(f"{key}: NPS {item['nps']} out of range")

    # ------------------------------------------------------------------ PII ledger
    ledger = pd.read_csv(HERE / "feedback_pii_ledger.csv", dtype=str, keep_default_na=False)
    assert list(ledger.columns) == ["source_id", "key", "kind", "value"]
    ledger_by_item: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in ledger.itertuples(index=False):
        key = (row.source_id, row.key)
        ledger_by_item[key].append((row.kind, row.value))
        if row.kind not in LEDGER_KINDS:
            problems.append(f"ledger {key}: unknown kind {row.kind}")
        if key not in items:
            problems.append(f"ledger {key}: no such non-empty item")
            continue
        if row.value not in items[key]["text"]:
            problems.append(f"ledger {key}: {row.value!r} not found in the item's text")
        digits = re.sub(r"\D", "", row.value)
        if row.kind == "card" and not (13 <= len(digits) <= 19 and luhn_ok(digits)):
            problems.append(f"ledger {key}: card {row.value} fails Luhn")
        if row.kind == "not_pii_number" and (len(digits) != 16 or luhn_ok(digits)):
            problems.append(f"ledger {key}: not_pii_number {row.value} must be 16 digits failing Luhn")
        if row.kind == "iban" and not iban_ok(row.value):
            problems.append(f"ledger {key}: IBAN {row.value} fails mod-97")
        if row.kind == "booking_ref" and not BOOKING_RE.fullmatch(row.value):
            problems.append(f"ledger {key}: booking ref {row.value} malformed")
        if row.kind == "email" and not EMAIL_RE.fullmatch(row.value):
            problems.append(f"ledger {key}: email {row.value} malformed")

    # ------------------------------------------------------------------ unledgered PII
    extra_tokens = {token.lower() for name in EXTRA_NAMES for token in name.split()}
    for key, item in items.items():
        text = item["text"]
        values = [value for _, value in ledger_by_item.get(key, [])]
        name_tokens = {tok.lower() for kind, value in ledger_by_item.get(key, []) if kind == "name"
                       for tok in WORD_RE.findall(value)}

        def covered(found: str) -> bool:
            return any(found in value or value in found for value in values)

        for pattern, label in ((EMAIL_RE, "email"), (BOOKING_RE, "booking ref"), (IBAN_RE, "IBAN"),
                               (DIGITS_RE, "digit run"), (PHONE_RE, "phone")):
            for match in pattern.finditer(text):
                found = match.group().strip()
                if label == "IBAN" and not any(ch.isdigit() for ch in found[4:]):
                    continue
                if not covered(found):
                    problems.append(f"{key}: unledgered {label} {found!r}")
        words = {w.lower() for w in WORD_RE.findall(text)}
        for token in WORD_RE.findall(str(item["person"])):
            if len(token) > 2 and token.lower() in words and token.lower() not in name_tokens:
                # the customer's own name appears in the text but is not in the ledger
                if re.search(rf"\b{re.escape(token)}\b", text):
                    problems.append(f"{key}: customer's name part {token!r} in text but not ledgered")
        for token in extra_tokens & words:
            if re.search(rf"\b{re.escape(token)}\b", text, flags=re.IGNORECASE) and token not in name_tokens:
                if re.search(rf"\b{re.escape(token.capitalize())}\b", text):
                    problems.append(f"{key}: staff/third-party name {token!r} in text but not ledgered")
        for kind, value in ledger_by_item.get(key, []):
            if kind == "name":
                own = {t.lower() for t in WORD_RE.findall(str(item["person"]))}
                tokens = {t.lower() for t in WORD_RE.findall(value)} - {"mr", "mrs", "dr", "ms"}
                # nicknames and initials of the customer's own name count as theirs
                # ("Seun" for Oluwaseun, "Jess" for Jessica, "G. Harris" for George Harris)
                own_like = all(any(t in o if len(t) > 1 else o.startswith(t) for o in own) for t in tokens)
                if not (own_like or tokens & extra_tokens):
                    problems.append(f"ledger {key}: name {value!r} is neither the customer's own "
                                    f"({item['person']}) nor in EXTRA_NAMES")

    with_pii = {key for key, rows in ledger_by_item.items() if any(kind != "not_pii_number" for kind, _ in rows)}
    kinds = Counter(ledger["kind"])
    print(f"\nledger rows: {len(ledger)} by kind {dict(kinds)}")
    print(f"items with planted PII: {len(with_pii)} of {len(items)} ({len(with_pii) / len(items):.0%}); "
          "per export:", dict(Counter(source for source, _ in sorted(with_pii))))

    # ------------------------------------------------------------------ format variety
    review_texts = [item["main"] for (source, _), item in items.items() if source.endswith(".csv")]
    n_multiline = sum("\n" in t for t in review_texts)
    print(f"reviews with line breaks: {n_multiline}, with commas: "
          f"{sum(',' in t for t in review_texts)}, with double quotes: {sum(chr(34) in t for t in review_texts)}")

    # ------------------------------------------------------------------ near duplicates
    token_sets = {key: set(WORD_RE.findall(item["main"].lower())) for key, item in items.items()}
    worst = (0.0, None, None)
    for (key_a, set_a), (key_b, set_b) in itertools.combinations(token_sets.items(), 2):
        union = len(set_a | set_b)
        score = len(set_a & set_b) / union if union else 1.0
        if score > worst[0]:
            worst = (score, key_a, key_b)
        if score > 0.8:
            problems.append(f"near duplicates ({score:.2f}): {key_a} and {key_b}")
    print(f"most similar pair: token Jaccard {worst[0]:.2f} between {worst[1]} and {worst[2]}")

    if problems:
        print(f"\nFAILED: {len(problems)} problem(s)")
        for problem in problems:
            print("  -", problem)
        return 1
    print("\nOK: all feedback checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
