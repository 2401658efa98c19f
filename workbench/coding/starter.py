"""A first codebook from the CX lenses: one code per CX element, UX element and touchpoint.

Researchers start coding from :func:`starter_codebook` and edit it; the groups (CX elements,
UX elements, touchpoints, journey stages) are categories, their codes the lenses' labels.

Example:
    >>> [c.name for c in starter_codebook().children()]
    ['CX elements', 'UX elements', 'Touchpoints']
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from workbench.coding.codebook import Code, Codebook, slugify

if TYPE_CHECKING:  # pragma: no cover - typing only
    from workbench.analysis.lenses import Lens

#: the dimension labels of the default lenses that are UX elements; the other dimensions are CX elements
UX_ELEMENTS = ("usability", "navigation", "interaction design", "visual design", "information architecture", "content")


def starter_codebook(
    lenses: Mapping[str, Lens] | None = None, touchpoints: bool = True, stages: bool = False
) -> Codebook:
    """A first codebook from the CX lenses: one code per CX element and UX element, grouped.

    ``touchpoints`` adds a "Touchpoints" group (one code each), ``stages`` a "Journey stages"
    group. Pass a study's lenses (``lenses_from_config(...)``) to follow its ``study.toml``.

    Example:
        >>> book = starter_codebook(stages=True)
        >>> [c.name for c in book.children()]
        ['CX elements', 'UX elements', 'Touchpoints', 'Journey stages']
        >>> book.get("navigation").parent, book.get("tp-mobile-app").name
        ('ux-elements', 'mobile app')
    """
    from workbench.analysis.lenses import default_lenses

    lenses = default_lenses() if lenses is None else lenses
    codes: list[Code] = []

    def group(group_id: str, title: str, description: str, labels: dict[str, str], prefix: str, source: str) -> None:
        if not labels:
            return
        codes.append(Code(group_id, title, description, codable=False, source=source))
        codes.extend(Code(f"{prefix}{slugify(label)}", label, text, parent=group_id, source=source)
                     for label, text in labels.items())

    dimensions = dict(lenses["dimension"].labels) if "dimension" in lenses else {}
    group("cx-elements", "CX elements", "What the story is about: the parts of the customer experience.",
          {k: v for k, v in dimensions.items() if k not in UX_ELEMENTS}, "", "lens:dimension")
    group("ux-elements", "UX elements", "What the story is about: the parts of using the app or website.",
          {k: v for k, v in dimensions.items() if k in UX_ELEMENTS}, "", "lens:dimension")
    if touchpoints and "touchpoint" in lenses:
        group("touchpoints", "Touchpoints", "Where it happened: the channel or place of the interaction.",
              dict(lenses["touchpoint"].labels), "tp-", "lens:touchpoint")
    if stages and "stage" in lenses:
        group("stages", "Journey stages", "When it happened in the customer journey.",
              dict(lenses["stage"].labels), "stage-", "lens:stage")
    return Codebook(codes, name="CX starter codebook")
