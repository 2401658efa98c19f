"""Hand-built REFI-QDA projects as other QDA tools write them (Project.xsd 1.0, the REFI-QDA 1.5 standard).

- :func:`maxqda_style_project`: a ``.qdpx`` zip whose text sources live in ``sources/<guid>.txt``
  (``plainTextPath="internal://<guid>.txt"``, as MAXQDA, ATLAS.ti and QualCoder write them), two
  coders, nested codes (one without a colour), Variables of four types, Cases with values and
  source links, selections with codings and memos, a PDF source, a Set, a Link, a project memo,
  a free memo, a selection across two turns and a coding of a code the codebook lacks.
- :func:`nvivo_style_project`: text inline in ``PlainTextContent``, upper-case guids in braces,
  an e-mail address the study's redaction replaces inside a coded turn.

The texts, names and codes are made up for these tests (a bank's customers, a hospital's patients).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"

INTERVIEW_A = (
    "Interviewer: How did opening the account go?\n\n"
    "Respondent: The branch was friendly. The app asked for my passport three times and then froze. "
    "I gave up after an hour.\n\n"
    "Interviewer: What happened next?\n\n"
    "Respondent: A week later a letter came\nasking for the same documents again.\n"
)
INTERVIEW_B = (
    "Interviewer: Tell me about the card.\n\n"
    "Respondent: The card arrived broken. Support said it would take ten days. "
    "I paid the rent late because of it.\n"
)
G = {  # guids, readable on purpose
    "u1": "0a000000-0000-4000-8000-000000000001", "u2": "0a000000-0000-4000-8000-000000000002",
    "cat": "0c000000-0000-4000-8000-000000000001", "app": "0c000000-0000-4000-8000-000000000002",
    "docs": "0c000000-0000-4000-8000-000000000003", "card": "0c000000-0000-4000-8000-000000000004",
    "gone": "0c000000-0000-4000-8000-0000000000ff",
    "va": "0d000000-0000-4000-8000-000000000001", "vb": "0d000000-0000-4000-8000-000000000002",
    "vc": "0d000000-0000-4000-8000-000000000003", "vd": "0d000000-0000-4000-8000-000000000004",
    "ca": "0e000000-0000-4000-8000-000000000001", "cb": "0e000000-0000-4000-8000-000000000002",
    "sa": "05000000-0000-4000-8000-000000000001", "sb": "05000000-0000-4000-8000-000000000002",
    "pdf": "05000000-0000-4000-8000-000000000003",
    "n1": "0f000000-0000-4000-8000-000000000001", "n2": "0f000000-0000-4000-8000-000000000002",
    "n3": "0f000000-0000-4000-8000-000000000003", "n4": "0f000000-0000-4000-8000-000000000004",
    "set": "0b000000-0000-4000-8000-000000000001", "link": "0b000000-0000-4000-8000-000000000002",
}


def _selection(text: str, phrase: str, guid: str, codings: list[tuple[str, str, str]], notes: tuple[str, ...] = (),
               end_phrase: str | None = None) -> str:
    start = text.index(phrase)
    end = (text.index(end_phrase) + len(end_phrase)) if end_phrase else start + len(phrase)
    inner = "".join(
        f'<Coding guid="{coding}" creatingUser="{user}" creationDateTime="2026-10-01T09:00:00Z">'
        f'<CodeRef targetGUID="{code}"/></Coding>' for coding, code, user in codings)
    inner += "".join(f'<NoteRef targetGUID="{n}"/>' for n in notes)
    return (f'<PlainTextSelection guid="{guid}" name="{phrase[:20]}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{codings[0][2] if codings else G["u1"]}" creationDateTime="2026-10-01T09:00:00Z">{inner}'
            "</PlainTextSelection>")


def maxqda_style_xml() -> str:
    a = INTERVIEW_A
    selections_a = "".join([
        _selection(a, "The app asked for my passport three times and then froze", "51000000-0000-4000-8000-000000000001",
                   [("c1000000-0000-4000-8000-000000000001", G["app"], G["u1"]),
                    ("c1000000-0000-4000-8000-000000000002", G["app"], G["u2"])], notes=(G["n2"],)),
        _selection(a, "asked for my passport three times", "51000000-0000-4000-8000-000000000002",
                   [("c1000000-0000-4000-8000-000000000003", G["docs"], G["u1"])]),
        _selection(a, "a letter came\nasking for the same documents", "51000000-0000-4000-8000-000000000003",
                   [("c1000000-0000-4000-8000-000000000004", G["docs"], G["u2"])]),
        # across two turns: cannot be one span of a turn
        _selection(a, "I gave up after an hour.", "51000000-0000-4000-8000-000000000004",
                   [("c1000000-0000-4000-8000-000000000005", G["app"], G["u1"])], end_phrase="What happened next?"),
        # a code the codebook lacks
        _selection(a, "The branch was friendly.", "51000000-0000-4000-8000-000000000005",
                   [("c1000000-0000-4000-8000-000000000006", G["gone"], G["u1"])]),
    ])
    selections_b = _selection(INTERVIEW_B, "The card arrived broken.", "51000000-0000-4000-8000-000000000006",
                              [("c1000000-0000-4000-8000-000000000007", G["card"], G["u2"])])
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Retail bank onboarding" origin="MAXQDA 2024" creationDateTime="2026-10-01T08:00:00Z">
 <Users><User guid="{G['u1']}" name="Ingrid Nakamura" id="IN"/><User guid="{G['u2']}" name="Tomás Ferreira" id="TF"/></Users>
 <CodeBook><Codes>
  <Code guid="{G['cat']}" name="Onboarding" isCodable="false" color="#1f77b4">
   <Description>Opening an account</Description>
   <Code guid="{G['app']}" name="App failures" isCodable="true" color="#d62728"><Description>The app crashes or freezes</Description><NoteRef targetGUID="{G['n1']}"/></Code>
   <Code guid="{G['docs']}" name="Documents asked again" isCodable="true"/>
  </Code>
  <Code guid="{G['card']}" name="Card problems" isCodable="true" color="#2ca02c"/>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{G['va']}" name="Segment" typeOfVariable="Text"/>
  <Variable guid="{G['vb']}" name="Age" typeOfVariable="Integer"/>
  <Variable guid="{G['vc']}" name="Existing customer" typeOfVariable="Boolean"/>
  <Variable guid="{G['vd']}" name="Interview date" typeOfVariable="Date"><Description>When we spoke</Description></Variable>
 </Variables>
 <Cases>
  <Case guid="{G['ca']}" name="R01">
   <VariableValue><VariableRef targetGUID="{G['va']}"/><TextValue>student</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{G['vb']}"/><IntegerValue>22</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{G['vc']}"/><BooleanValue>false</BooleanValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{G['vd']}"/><DateValue>2026-09-14</DateValue></VariableValue>
   <SourceRef targetGUID="{G['sa']}"/>
  </Case>
  <Case guid="{G['cb']}" name="R02">
   <VariableValue><VariableRef targetGUID="{G['va']}"/><TextValue>small business</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{G['vb']}"/><IntegerValue>51</IntegerValue></VariableValue>
   <SourceRef targetGUID="{G['sb']}"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{G['sa']}" name="Interview R01" plainTextPath="internal://{G['sa']}.txt" creatingUser="{G['u1']}">{selections_a}</TextSource>
  <TextSource guid="{G['sb']}" name="Interview R02.txt" plainTextPath="internal://{G['sb']}.txt" creatingUser="{G['u2']}">{selections_b}</TextSource>
  <PDFSource guid="{G['pdf']}" name="Branch leaflet" path="internal://{G['pdf']}.pdf"/>
 </Sources>
 <Notes>
  <Note guid="{G['n1']}" name="Code memo" creatingUser="{G['u1']}"><PlainTextContent>Only crashes, not slowness.</PlainTextContent></Note>
  <Note guid="{G['n2']}" name="Passport loop" creatingUser="{G['u2']}"><PlainTextContent>Same loop as in R07's story.</PlainTextContent></Note>
  <Note guid="{G['n3']}" name="Project memo" creatingUser="{G['u1']}"><PlainTextContent>Onboarding is the theme of the round.</PlainTextContent></Note>
  <Note guid="{G['n4']}" name="Free memo" creatingUser="{G['u2']}"><PlainTextContent>Ask legal about ID checks.</PlainTextContent></Note>
 </Notes>
 <Links><Link guid="{G['link']}" name="causes" direction="OneWay" originGUID="{G['app']}" targetGUID="{G['docs']}"/></Links>
 <Sets><Set guid="{G['set']}" name="Key themes"><Description>For the board</Description><MemberCode targetGUID="{G['app']}"/><MemberSource targetGUID="{G['sa']}"/></Set></Sets>
 <Description>Onboarding study, autumn round</Description>
 <NoteRef targetGUID="{G['n3']}"/>
</Project>
"""


def maxqda_style_project(folder: Path) -> Path:
    """The MAXQDA-style project as a ``.qdpx`` file in ``folder``."""
    path = folder / "bank_onboarding.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", maxqda_style_xml())
        archive.writestr(f"sources/{G['sa']}.txt", INTERVIEW_A.encode("utf-8"))
        archive.writestr(f"sources/{G['sb']}.txt", INTERVIEW_B.encode("utf-8"))
        archive.writestr(f"sources/{G['pdf']}.pdf", b"%PDF-1.4 not a real leaflet")
    return path


CLINIC = (
    "Interviewer: How was the discharge?\n\n"
    "Patient: Nobody told me about the new pills. Write to lena.okafor@example.org and they will confirm "
    "the nurse said nothing about side effects.\n"
)


def nvivo_style_project(folder: Path) -> Path:
    """An NVivo-style project: text inline, guids upper case in braces, an e-mail before a coded phrase."""
    phrase = "the nurse said nothing about side effects"
    start = CLINIC.index(phrase)
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Clinic discharge" origin="NVivo 14">
 <Users><User guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="Dr. Amara Osei"/></Users>
 <CodeBook><Codes><Code guid="{{BBBBBBBB-0000-4000-8000-000000000001}}" name="Information gaps" isCodable="true" color="#FF7F0E"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="{{CCCCCCCC-0000-4000-8000-000000000001}}" name="Patient 4">
   <PlainTextContent>{CLINIC}</PlainTextContent>
   <PlainTextSelection guid="{{DDDDDDDD-0000-4000-8000-000000000001}}" startPosition="{start}" endPosition="{start + len(phrase)}">
    <Coding guid="{{EEEEEEEE-0000-4000-8000-000000000001}}" creatingUser="{{AAAAAAAA-0000-4000-8000-000000000001}}"><CodeRef targetGUID="{{BBBBBBBB-0000-4000-8000-000000000001}}"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>
"""
    path = folder / "clinic.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    return path


HOTEL = (
    "Moderator: What stood out about your stay?\n\n"
    "Guest: Check-in took forty minutes because the system was down. The room itself was lovely.\n\n"
    "Moderator: And checkout?\n\n"
    "Guest: They charged the minibar twice and nobody answered the phone.\n"
)
H = {  # guids of the ATLAS.ti-style project
    "u": "1a000000-0000-4000-8000-000000000001", "wait": "1c000000-0000-4000-8000-000000000001",
    "bill": "1c000000-0000-4000-8000-000000000002", "src": "15000000-0000-4000-8000-000000000001",
    "audio": "15000000-0000-4000-8000-000000000002", "photo": "15000000-0000-4000-8000-000000000003",
    "vs": "1d000000-0000-4000-8000-000000000001", "vn": "1d000000-0000-4000-8000-000000000002",
    "vt": "1d000000-0000-4000-8000-000000000003", "case": "1e000000-0000-4000-8000-000000000001",
    "sel": "51a00000-0000-4000-8000-000000000001", "asel": "51a00000-0000-4000-8000-000000000002",
    "psel": "51a00000-0000-4000-8000-000000000003", "srcmemo": "1f000000-0000-4000-8000-000000000001",
    "graph": "1b000000-0000-4000-8000-000000000001",
}


def atlas_style_project(folder: Path) -> Path:
    """An ATLAS.ti/QualCoder-style project with the elements the first two fixtures lack.

    Variables on a source (not a case), a coding of a whole source, a memo on a source, an audio
    source with a coded time selection, a picture with a coded region, a case that refers to codes
    and selections, Float and DateTime values, and a Graph.
    """
    phrase = "Check-in took forty minutes because the system was down."
    start = HOTEL.index(phrase)
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Hotel stays" origin="ATLAS.ti 24" basePath="C:/Users/research/hotel">
 <Users><User guid="{H['u']}" name="Keanu Palakiko" id="KP"/></Users>
 <CodeBook><Codes>
  <Code guid="{H['wait']}" name="Waiting" isCodable="true" color="#8C564B"/>
  <Code guid="{H['bill']}" name="Billing errors" isCodable="true" color="#E377C2"/>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{H['vs']}" name="Stay nights" typeOfVariable="Float"/>
  <Variable guid="{H['vn']}" name="Room type" typeOfVariable="Text"/>
  <Variable guid="{H['vt']}" name="Interviewed at" typeOfVariable="DateTime"/>
 </Variables>
 <Cases>
  <Case guid="{H['case']}" name="G-114">
   <CodeRef targetGUID="{H['wait']}"/>
   <VariableValue><VariableRef targetGUID="{H['vs']}"/><FloatValue>2.5</FloatValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{H['vt']}"/><DateTimeValue>2026-08-03T14:30:00Z</DateTimeValue></VariableValue>
   <SourceRef targetGUID="{H['src']}"/>
   <SelectionRef targetGUID="{H['sel']}"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{H['src']}" name="G-114 interview.txt" plainTextPath="internal://{H['src']}.txt" creatingUser="{H['u']}">
   <PlainTextSelection guid="{H['sel']}" name="check-in" startPosition="{start}" endPosition="{start + len(phrase)}" creatingUser="{H['u']}">
    <Coding guid="1c100000-0000-4000-8000-000000000001" creatingUser="{H['u']}"><CodeRef targetGUID="{H['wait']}"/></Coding>
   </PlainTextSelection>
   <Coding guid="1c100000-0000-4000-8000-000000000002" creatingUser="{H['u']}"><CodeRef targetGUID="{H['bill']}"/></Coding>
   <NoteRef targetGUID="{H['srcmemo']}"/>
   <VariableValue><VariableRef targetGUID="{H['vn']}"/><TextValue>suite</TextValue></VariableValue>
  </TextSource>
  <AudioSource guid="{H['audio']}" name="G-114 call" path="internal://{H['audio']}.m4a">
   <AudioSelection guid="{H['asel']}" begin="12000" end="19500" creatingUser="{H['u']}">
    <Coding guid="1c100000-0000-4000-8000-000000000003" creatingUser="{H['u']}"><CodeRef targetGUID="{H['bill']}"/></Coding>
   </AudioSelection>
  </AudioSource>
  <PictureSource guid="{H['photo']}" name="Receipt" path="internal://{H['photo']}.png">
   <PictureSelection guid="{H['psel']}" firstX="10" firstY="20" secondX="200" secondY="90" creatingUser="{H['u']}">
    <Coding guid="1c100000-0000-4000-8000-000000000004" creatingUser="{H['u']}"><CodeRef targetGUID="{H['bill']}"/></Coding>
   </PictureSelection>
  </PictureSource>
 </Sources>
 <Notes>
  <Note guid="{H['srcmemo']}" name="About G-114" creatingUser="{H['u']}"><PlainTextContent>A business traveller.</PlainTextContent></Note>
 </Notes>
 <Graphs>
  <Graph guid="{H['graph']}" name="Stay map">
   <Vertex guid="1b100000-0000-4000-8000-000000000001" representedGUID="{H['wait']}" firstX="0" firstY="0" shape="Rectangle"/>
   <Vertex guid="1b100000-0000-4000-8000-000000000002" representedGUID="{H['bill']}" firstX="100" firstY="0" shape="Rectangle"/>
   <Edge guid="1b200000-0000-4000-8000-000000000001" sourceVertex="1b100000-0000-4000-8000-000000000001" targetVertex="1b100000-0000-4000-8000-000000000002" direction="OneWay"/>
  </Graph>
 </Graphs>
 <Description>Guest interviews, summer</Description>
</Project>
"""
    path = folder / "hotel.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr(f"sources/{H['src']}.txt", HOTEL.encode("utf-8"))
        archive.writestr(f"sources/{H['audio']}.m4a", b"\x00\x00\x00\x18ftypM4A not a real call")
        archive.writestr(f"sources/{H['photo']}.png", b"\x89PNG not a real receipt")
    return path
