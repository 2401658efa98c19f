"""The model as a coder: how far the analysis' automatic coding agrees with a human coder.

The analysis codes every passage twice over, without being asked (:mod:`workbench.rigour.model_codes`):

- **pain points** (coder ``model:painpoints``): each passage's pain point stands for one code
  (the code made from it with :func:`workbench.coding.painpoint_codes.code_from_painpoint`); Other is "no code".
- **suggestions** (coder ``model:suggestions``): what the coding view offers on each passage,
  the pain point's code and the code of its CX/UX element
  (:func:`~workbench.rigour.model_codes.suggested_codes`, the same rule as
  ``widgets.coding.state.CodingState.suggestions``), all taken as applied.

:func:`model_vs_human` turns one of them into an assignment table like a human coder's, over
the passages that human has coded (seen, with or without codes), and scores it with the
statistics used between humans (:mod:`workbench.rigour.agreement`): Cohen's kappa per code,
Krippendorff's alpha over all codes, and the passages where they differ, to review.

**Mapping the model's codes to the human's** follows the rules of
:mod:`workbench.rigour.code_mapping` (explicit, same code, best overlap, unmapped). The
report's ``mapping`` table says which rule decided each model code; print it. The study-level
entry point (saved results and store) is :mod:`workbench.rigour.model_coder_study`.

Reading the numbers: Landis & Koch's bands for kappa (poor < 0 ≤ slight ≤ .20 < fair ≤ .40 <
moderate ≤ .60 < substantial ≤ .80 < almost perfect) and a plain hint: above .80 trust the
model for first-pass coding and spot-check; above .60 trust it for a first pass and review its
disagreements; above .40 use it as suggestions and review every item; below, code by hand. A
code the human applied fewer than ``min_examples`` times cannot be judged yet.

Example:
    >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1", "p2", "p3", "p4"],
    ...                       "code_id": ["refunds", "refunds", None, "app"]})
    >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2", "p3", "p4"], "painpoint_id": ["PP01", "PP01", "PP01", "PP02"]})
    >>> report = model_vs_human(human, analysis, min_examples=1)
    >>> report.mapping[["model_code", "code_id", "how"]].values.tolist()
    [['PP01', 'refunds', 'best overlap'], ['PP02', 'app', 'best overlap']]
    >>> report.by_code[["code_id", "both", "human_only", "model_only", "kappa", "verdict"]]
       code_id  both  human_only  model_only  kappa         verdict
    0      app     1           0           0    1.0  almost perfect
    1  refunds     2           0           1    0.5        moderate
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.coding.codebook import Codebook
from workbench.coding.painpoint_codes import OTHER_PAINPOINT
from workbench.errors import WorkbenchError
from workbench.rigour.agreement import coder_units, kappa_by_code, krippendorff_alpha
from workbench.rigour.code_mapping import map_model_codes
from workbench.rigour.model_codes import MODEL_CODERS, analysed_painpoints, analysed_passage_ids, model_codes
from workbench.schema import is_missing

#: upper bounds of Landis & Koch's (1977) bands for kappa
LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"),
               (1.0, "almost perfect"))
#: characters of passage text shown in the disagreements
SNIPPET_CHARS = 160
NOT_HUMAN_PREFIXES = ("model:", "analysis", "DEMO")


class NoHumanCodingsError(WorkbenchError):
    """There is nothing a human coded to compare the model with.

    Example:
        >>> isinstance(NoHumanCodingsError("code some quotes first"), WorkbenchError)
        True
    """


def landis_koch(kappa: float) -> str:
    """Landis & Koch's name for a kappa ("moderate", "substantial"…); "undefined" for NaN.

    Example:
        >>> [landis_koch(k) for k in (-0.1, 0.2, 0.41, 0.6, 0.61, 0.95, float("nan"))]
        ['poor', 'slight', 'moderate', 'moderate', 'substantial', 'almost perfect', 'undefined']
    """
    if kappa is None or math.isnan(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    return next(name for bound, name in LANDIS_KOCH[1:] if kappa <= bound + 1e-12)


def trust_hint(kappa: float, n_human: int, min_examples: int = 5) -> str:
    """What a team may do with the model's coding of one code, in plain words.

    Example:
        >>> trust_hint(0.85, 12), trust_hint(0.7, 12), trust_hint(0.5, 12), trust_hint(0.2, 12)
        ('trust for first-pass coding; spot-check', 'trust for first-pass coding; review its disagreements', 'use as suggestions only; review every item', 'do not use: code by hand')
        >>> trust_hint(0.9, 2)
        'too few examples (2 < 5): code more passages before judging'
    """
    if n_human < min_examples:
        return f"too few examples ({n_human} < {min_examples}): code more passages before judging"
    if kappa is None or math.isnan(kappa):
        return "cannot judge: no variation; code more passages"
    if kappa > 0.80:
        return "trust for first-pass coding; spot-check"
    if kappa > 0.60:
        return "trust for first-pass coding; review its disagreements"
    if kappa > 0.40:
        return "use as suggestions only; review every item"
    return "do not use: code by hand"



# ---------------------------------------------------------------------------------------- the comparison


@dataclass
class ModelAgreement:
    """How a model coder agrees with a human coder (the result of :func:`model_vs_human`).

    Attributes:
        human: the human coder's name.
        model: the model coder's name (``model:painpoints`` / ``model:suggestions``).
        n_units: passages compared (the human coded them and the analysis has them).
        alpha: Krippendorff's alpha (nominal) over every (passage, code) decision.
        agreement: share of passages where both gave exactly the same codes.
        by_code: per code: code_id, code, n_units, human_n, model_n, both, human_only, model_only,
            neither, prevalence (share the human coded with it), agreement, kappa, precision (of the
            model's uses, the human's too), recall (of the human's uses, the model's too), verdict
            (Landis & Koch), advice.
        disagreements: per passage where they differ: passage_id, painpoint_id, human_codes,
            model_codes, missed (the human's only), added (the model's only), and with passages
            participant_id, source_id and a text snippet (redacted).
        mapping: the model codes and the human code each stands for, with the rule used.
        table: the two coders' assignments as compared (for :mod:`workbench.rigour.agreement`).
        n_not_analysed: passages the human coded that the analysis does not have (left out).

    Example:
        >>> report = model_vs_human(pd.DataFrame({"coder": "dana", "passage_id": ["p1"], "code_id": ["a"]}),
        ...                         pd.DataFrame({"passage_id": ["p1"], "painpoint_id": ["PP01"]}))
        >>> report.n_units, report.model
        (1, 'model:painpoints')
    """

    human: str
    model: str
    n_units: int
    alpha: float
    agreement: float
    by_code: pd.DataFrame
    disagreements: pd.DataFrame
    mapping: pd.DataFrame
    table: pd.DataFrame
    n_not_analysed: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines to print: units, alpha and what it means, agreement, the mapping rules used.

        Example:
            >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1", "p2"], "code_id": ["a", None]})
            >>> print(model_vs_human(human, pd.DataFrame({"passage_id": ["p1", "p2"], "painpoint_id": ["PP01", "other"]})).summary())
            model:painpoints vs dana: 2 passages, Krippendorff's alpha 1.00 (reliable: alpha >= 0.80), same codes on 100% of passages, 0 to review
            mapping: 1 best overlap
            note: best-overlap mappings are fitted on these same codings, so kappa is a little optimistic; pass an explicit mapping for a strict figure
        """
        if math.isnan(self.alpha):
            reading = "undefined: no variation to compare"
        elif self.alpha >= 0.80:
            reading = "reliable: alpha >= 0.80"
        elif self.alpha >= 0.667:
            reading = "tentative: 0.667 <= alpha < 0.80"
        else:
            reading = "not reliable: alpha < 0.667"
        lines = [
            f"{self.model} vs {self.human}: {self.n_units} passages, Krippendorff's alpha {self.alpha:.2f} ({reading}), "
            f"same codes on {self.agreement:.0%} of passages, {len(self.disagreements)} to review"
        ]
        hows = self.mapping["how"].value_counts()
        lines.append("mapping: " + ", ".join(f"{n} {how}" for how, n in hows.items()) if len(hows) else "mapping: nothing to map")
        if self.n_not_analysed:
            lines.append(f"left out: {self.n_not_analysed} coded passages the analysis does not have (re-analysed since?)")
        lines += self.notes
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def human_coder(codings: pd.DataFrame, coder: str | None = None) -> str:
    """The human coder to compare with: ``coder``, or the only human in ``codings``.

    Raises:
        NoHumanCodingsError: nobody (or not ``coder``) has coded anything yet.

    Example:
        >>> human_coder(pd.DataFrame({"coder": ["dana", "model:painpoints"], "passage_id": ["p1", "p1"], "code_id": ["a", "a"]}))
        'dana'
    """
    missing = {"coder", "passage_id", "code_id"} - set(codings.columns)
    if missing:
        raise WorkbenchError(
            f"codings lack the column(s) {', '.join(sorted(missing))}; pass code_assignments(store, study, with_seen=True)"
        )
    humans = sorted({str(c) for c in codings["coder"].dropna() if not str(c).startswith(NOT_HUMAN_PREFIXES)})
    if coder is not None:
        if coder not in humans:
            raise NoHumanCodingsError(
                f"coder {coder!r} has coded no passage yet (coders with codings: {', '.join(humans) or 'none'}); "
                "code some quotes in notebooks/02_code_interviews.ipynb first"
            )
        return coder
    if not humans:
        raise NoHumanCodingsError(
            "no human codings yet: code some quotes in notebooks/02_code_interviews.ipynb (the coding view) first, "
            "then compare the model with them"
        )
    if len(humans) > 1:
        raise WorkbenchError(f"several coders coded this study ({', '.join(humans)}); say which: coder=...")
    return humans[0]


def model_vs_human(
    codings: pd.DataFrame,
    assignments: pd.DataFrame,
    painpoints: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    passages: pd.DataFrame | None = None,
    coder: str | None = None,
    model: str = "painpoints",
    mapping: Mapping[str, str | None] | None = None,
    auto_map: bool = True,
    min_examples: int = 5,
) -> ModelAgreement:
    """Score the model's coding against one human coder's, per code, with the disagreements to review.

    Args:
        codings: the human's assignments, ``code_assignments(store, study, with_seen=True)``
            (passages seen without a code count as "no code applies").
        assignments: the analysis' assignments (passage_id, painpoint_id).
        painpoints: the painpoints table (labels, CX/UX dimension for the suggestions).
        codebook: the human's codebook (the study's store: ``stored_codebook``).
        passages: the passages table, for text snippets in the disagreements.
        coder: the human coder (default: the only one in ``codings``).
        model: ``painpoints`` or ``suggestions`` (the module docstring).
        mapping: explicit {pain point id or model code id: human code id or None}.
        auto_map: map what is neither explicit nor the same code by best overlap.
        min_examples: fewer human uses of a code than this: "too few examples" instead of a verdict.

    Raises:
        NoHumanCodingsError: the human has coded nothing (code some quotes in notebook 02 first).
        WorkbenchError: the tables lack columns, or no coded passage is in the analysis.

    Example:
        >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1", "p2", "p3"], "code_id": ["fees", None, "fees"]})
        >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2", "p3"], "painpoint_id": ["PP01", "other", "PP01"]})
        >>> model_vs_human(human, analysis).by_code[["code_id", "kappa", "verdict", "advice"]].values.tolist()
        [['fees', 1.0, 'almost perfect', 'too few examples (2 < 5): code more passages before judging']]
        >>> model_vs_human(human.iloc[:0], analysis)
        Traceback (most recent call last):
        ...
        workbench.rigour.model_coder.NoHumanCodingsError: no human codings yet: code some quotes in notebooks/02_code_interviews.ipynb (the coding view) first, then compare the model with them
    """
    if model not in MODEL_CODERS:
        raise WorkbenchError(f"model={model!r}: use one of {', '.join(MODEL_CODERS)}")
    name = MODEL_CODERS[model]
    human_name = human_coder(codings, coder)
    human = codings[codings["coder"].astype(str) == human_name][["coder", "passage_id", "code_id"]]
    human = human.astype({"passage_id": str})
    seen = coder_units(human)[human_name]
    analysed = set(analysed_passage_ids(assignments))
    units = sorted(seen & analysed)
    if not units:
        raise WorkbenchError(
            f"none of the {len(seen)} passages {human_name} coded is in the analysis' assignments; "
            "were they coded on another analysis? Code passages of the current results"
        )
    human = human[human["passage_id"].isin(set(units))]
    every_row = model_codes(assignments, painpoints, codebook, model)
    # every pain point is mapped (a mapping file may name one the human has not met yet); only units are scored
    mapped = map_model_codes(every_row, human, codebook, mapping, auto_map)
    rows = every_row[every_row["passage_id"].isin(set(units))]
    target = dict(zip(mapped["model_code"], mapped["code_id"]))
    model_sets: dict[str, set[str]] = {u: set() for u in units}
    for passage_id, model_code in zip(rows["passage_id"], rows["model_code"]):
        code_id = target.get(str(model_code))
        if not is_missing(code_id):
            model_sets[passage_id].add(str(code_id))
    model_table = pd.DataFrame(
        [{"coder": name, "passage_id": u, "code_id": c} for u in units for c in sorted(model_sets[u])]
        + [{"coder": name, "passage_id": u, "code_id": None} for u in units if not model_sets[u]],
        columns=["coder", "passage_id", "code_id"],
    )
    table = pd.concat([human, model_table], ignore_index=True)
    by_code = _by_code(table, human_name, name, units, codebook, min_examples)
    human_sets: dict[str, set[str]] = {u: set() for u in units}
    for passage_id, code_id in zip(human["passage_id"], human["code_id"]):
        if not is_missing(code_id):
            human_sets[passage_id].add(str(code_id))
    painpoint_of = dict(zip(*_analysed_pairs(assignments)))
    differ = [{"passage_id": u, "painpoint_id": painpoint_of.get(u, OTHER_PAINPOINT),
               "human_codes": sorted(human_sets[u]), "model_codes": sorted(model_sets[u]),
               "missed": sorted(human_sets[u] - model_sets[u]), "added": sorted(model_sets[u] - human_sets[u])}
              for u in units if human_sets[u] != model_sets[u]]
    disagreements = pd.DataFrame(differ, columns=["passage_id", "painpoint_id", "human_codes", "model_codes", "missed", "added"])
    if passages is not None and "passage_id" in passages.columns:
        extra = [c for c in ("participant_id", "source_id") if c in passages.columns]
        lookup = passages.astype({"passage_id": str}).drop_duplicates("passage_id").set_index("passage_id")
        for column in extra:
            disagreements[column] = disagreements["passage_id"].map(lookup[column])
        if "text" in lookup.columns:
            disagreements["text"] = disagreements["passage_id"].map(lookup["text"]).map(_snippet)
    agreement = sum(human_sets[u] == model_sets[u] for u in units) / len(units)
    notes = []
    used = set(human["code_id"].dropna().astype(str))
    unused = sorted({str(c) for c, how in zip(mapped["code_id"], mapped["how"]) if how == "same code" and c not in used})
    if unused:
        notes.append(f"note: {human_name} never applied {', '.join(unused)} (codebook codes the model uses as they are); "
                     "if you code those themes under other codes, map them explicitly")
    if (mapped["how"] == "best overlap").any():
        notes.append("note: best-overlap mappings are fitted on these same codings, so kappa is a little optimistic; "
                     "pass an explicit mapping for a strict figure")
    return ModelAgreement(
        human=human_name, model=name, n_units=len(units), alpha=krippendorff_alpha(table, units=units),
        agreement=agreement, by_code=by_code, disagreements=disagreements, mapping=_named(mapped, codebook), table=table,
        n_not_analysed=len(seen - analysed), notes=notes,
    )



def format_report(report: ModelAgreement, show: int = 15) -> str:
    """The report as plain text for a terminal: summary, mapping, per-code table, the first ``show`` disagreements.

    Example:
        >>> human = pd.DataFrame({"coder": "dana", "passage_id": ["p1", "p2"], "code_id": ["fees", None]})
        >>> analysis = pd.DataFrame({"passage_id": ["p1", "p2"], "painpoint_id": ["PP01", "PP01"]})
        >>> text = format_report(model_vs_human(human, analysis, mapping={"PP01": "fees"}))
        >>> "PP01 -> fees (explicit" in text, "p2: human [] / model ['fees']" in text
        (True, True)
    """
    lines = [report.summary(), "", "Mapping (model code -> human code):"]
    for row in report.mapping.itertuples():
        overlap = "" if is_missing(row.overlap) else f", {row.overlap:.0%} of {row.support} coded passages agree"
        target = "no code" if is_missing(row.code_id) else row.code_id
        lines.append(f"  {row.model_code} -> {target} ({row.how}{overlap})  {row.label}")
    lines += ["", "Per code (kappa: Cohen's, human vs model):"]
    if report.by_code.empty:
        lines.append("  no code was applied by either coder")
    for row in report.by_code.itertuples():
        kappa = "  n/a" if is_missing(row.kappa) else f"{row.kappa:5.2f}"
        lines.append(f"  {row.code[:32]:32}  human {row.human_n:4d}  model {row.model_n:4d}  kappa {kappa}  "
                     f"{row.verdict:14}  {row.advice}")
    if len(report.disagreements):
        lines += ["", f"To review ({min(show, len(report.disagreements))} of {len(report.disagreements)}):"]
        for row in report.disagreements.head(show).to_dict("records"):
            text = f"  \"{row['text']}\"" if not is_missing(row.get("text")) else ""
            lines.append(f"  {row['passage_id']}: human {row['human_codes']} / model {row['model_codes']}{text}")
    return "\n".join(lines)


def _analysed_pairs(assignments: pd.DataFrame) -> tuple[list[str], list[str]]:
    rows = analysed_painpoints(assignments)
    return rows["passage_id"].tolist(), rows["painpoint_id"].tolist()



def _by_code(table: pd.DataFrame, human: str, model: str, units: list[str], codebook: Codebook | None,
             min_examples: int) -> pd.DataFrame:
    base = kappa_by_code(table, coders=(human, model), units=units, codebook=codebook)
    base = base.rename(columns={"first_only": "human_only", "second_only": "model_only"})
    base["human_n"] = base["both"] + base["human_only"]
    base["model_n"] = base["both"] + base["model_only"]
    base["prevalence"] = base["human_n"] / base["n_units"]
    base["precision"] = [b / m if m else float("nan") for b, m in zip(base["both"], base["model_n"])]
    base["recall"] = [b / h if h else float("nan") for b, h in zip(base["both"], base["human_n"])]
    base["verdict"] = [landis_koch(k) for k in base["kappa"]]
    base["advice"] = [trust_hint(k, int(n), min_examples) for k, n in zip(base["kappa"], base["human_n"])]
    columns = ["code_id", "code", "n_units", "human_n", "model_n", "both", "human_only", "model_only", "neither",
               "prevalence", "agreement", "kappa", "precision", "recall", "verdict", "advice"]
    return base[columns]


def _named(mapped: pd.DataFrame, codebook: Codebook | None) -> pd.DataFrame:
    names = codebook.names() if codebook is not None else {}
    out = mapped.copy()
    out.insert(4, "code", [names.get(c, c) if not is_missing(c) else None for c in out["code_id"]])
    return out


def _snippet(text: Any) -> str | None:
    if is_missing(text):
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"
