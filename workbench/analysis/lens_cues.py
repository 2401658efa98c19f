"""Explicit cues for the CX lenses: words that name a touchpoint, a journey stage or a CX/UX element.

Embedding similarity guesses where a passage belongs; a passage that says "on hold", "in the app",
"refund" or "£40 fee" *says* where it belongs. Each default label of the three lenses of
:mod:`workbench.analysis.lenses` has regular expressions here, written for customers of any
industry (retail, banking, telecom, utilities, healthcare, travel, software, insurance, food
delivery), not for one study's words. A pattern is **strong** (weight 1: it names the label,
"hold music" → phone and IVR) or **weak** (weight 0.4: it leans towards it, "online" → website).
A passage's cue score for a label is the sum of the weights of its distinct patterns that match,
capped at :data:`MAX_CUE_SCORE`, so one long passage does not outvote a group.

How the scores are combined with embedding similarity, over a unit and over a pain point's
members, is :mod:`workbench.analysis.lens_attribution`. Labels a study adds in ``study.toml`` have
no cues: they are placed by embedding similarity alone.

Example:
    >>> scores = cue_scores(["I was on hold for an hour, then the app crashed"], "touchpoint")
    >>> {label: float(s) for label, s in scores[0].items() if s}
    {'phone and IVR': 1.0, 'mobile app': 1.0}
    >>> cue_scores(["the delivery fee doubled the price"], "touchpoint")[0]["delivery"]
    0.0
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from workbench.analysis.pattern_search import PatternSearch

#: weight of a pattern that names the label / one that only leans towards it
STRONG, WEAK = 1.0, 0.4
#: most a passage's cues can add to one label
MAX_CUE_SCORE = 2.0

# Each entry: label -> (strong patterns, weak patterns). Patterns are matched case-insensitively
# on the passage text; write word boundaries (\b) so that "app" does not match "happy".
_MONEY = r"(?:[£$€¥₹]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:euros?|dollars?|pounds?|quid|bucks|p|eur|usd|gbp)\b)"

TOUCHPOINT_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "store / in person": (
        (r"\bin[- ](?:store|person|branch|the shop)\b", r"\bface[- ]to[- ]face\b",
         r"\b(?:front|check-?in|help|service|information|hire|rental|reception|hotel|airport|ticket|returns) (?:desk|counter)s?\b",
         r"\b(?:at|to|from|behind) the (?:desk|counter|reception|gate)\b", r"\breceptionists?\b", r"\bcashiers?\b",
         r"\b(?:shop|store|branch|counter|desk|gate|ground|floor|sales) (?:staff|assistants?|workers?|clerks?|agents?)\b",
         r"\b(?:in|into|at|to) (?:the|their|a|your) (?:shop|store|branch|showroom|dealership|supermarket|post office|surgery|clinic|pharmacy|office)\b",
         r"\bdoor[- ]to[- ]door\b", r"\bwalked (?:in|into|up to)\b",
         r"\b(?:lady|man|woman|guy|girl|boy|assistant|person|staff) (?:on|at|behind) the (?:tills?|counter|desk|checkout|door|reception)\b"),
        (r"\b(?:shop|store|branch|showroom|supermarket|outlet)s?\b", r"\breception\b", r"\b(?:at|the) tills?\b", r"\bin the queue at\b",
         r"\b(?:the|a) (?:doctor|nurse|pharmacist|dentist|consultant|optician)\b", r"\bcame to (?:my|our) (?:house|home|door)\b", r"\bon the (?:rail|shelf|shelves)\b", r"\bin the aisle\b"),
    ),
    "kiosk / point of sale": (
        (r"\bkiosks?\b", r"\bself[- ]?(?:service|checkouts?|check-?in|scan\w*|serve)\b",
         r"\b(?:ticket|vending|parking|check-?in|bag[- ]?drop|paying[- ]in|deposit|cash|coffee|ordering|collection|photo|change) machines?\b",
         r"\b(?:atm|atms|cash ?points?|cash machines?)\b", r"\b(?:card|payment|chip and pin|contactless) (?:readers?|terminals?|machines?)\b",
         r"\bpoint of sale\b", r"\b(?:fuel|petrol|gas) pumps?\b", r"\btouch ?screens?\b"),
        (r"\bmachine\b(?<!answering machine)(?<!washing machine)", r"\b(?:at|the) tills?\b", r"\bscreen at the\b", r"\bpump\b", r"\bterminal\b"),
    ),
    "phone and IVR": (
        (r"\bivr\b", r"\bon hold\b", r"\bhold music\b", r"\b(?:press|pressed|pressing|dial|dialled) (?:\d|one|two|three|four|five|hash|star)\b",
         r"\b(?:automated|recorded|robotic|robot|voice|computer) (?:menus?|systems?|voices?|messages?|lines?|options?|assistants?|recognition|bots?)\b",
         r"\b(?:phone|call|telephone|voice) (?:menu|tree|queue|system|options)s?\b", r"\bcaller (?:number )?\d+\b",
         r"\b(?:all (?:of )?our (?:advisers|advisors|agents|operators|colleagues) are busy|high (?:call )?volumes?|your call is important)\b",
         r"\b(?:line|call) (?:went dead|dropped|drops|cut off|disconnected|got cut)\b", r"\bdidn'?t (?:catch|understand) (?:that|what i said|me)\b",
         r"\b(?:round|around) in circles\b", r"\bget(?:ting)? through on the phone\b"),
        (r"\bqueue\b", r"\bcuts? (?:me|you) off\b", r"\bmenu options?\b", r"\bsame (?:options|message)\b", r"\bwaiting (?:for|on) the phone\b"),
    ),
    "call centre": (
        (r"\bcall ?cent(?:re|er)s?\b", r"\bon the phone\b", r"\bover the phone\b", r"\bby (?:phone|telephone)\b", r"\bphone calls?\b",
         r"\b(?:i|we|she|he|they|mum|dad) (?:rang|phoned|telephoned|called)\b", r"\b(?:rang|phoned|called) (?:them|the|their|up|customer|back)\b",
         r"\b(?:ring|call|phone|calling|ringing|phoning) (?:them|the|their|up|customer|back|us|you)\b",
         r"\b(?:got|get|getting) through to (?:someone|a person|an? agent|a human)\b", r"\b(?:put me through|transferr?(?:ed|ing)? me|on the line)\b",
         r"\b(?:call ?back|rang me|called me back|rang me back)\b", r"\b(?:help|hot|customer|support|claims|advice)[- ]?lines?\b",
         r"\b(?:agent|adviser|advisor|operator|person|woman|man|guy|lady|chap|rep|handler) (?:i spoke to|on the (?:phone|other end|line))\b",
         r"\bspoke to\b.{0,30}\b(?:phone|call)\b", r"\bsales calls?\b",),
        (r"\b(?:agent|adviser|advisor|operator|representative)s?\b", r"\bspoke to\b", r"\bphone\b", r"\bcalled\b", r"\brang\b", r"\bcall\b"),
    ),
    "website": (
        (r"\bweb ?sites?\b", r"\bweb ?pages?\b", r"\bweb ?forms?\b", r"\bon (?:the|their|your) (?:site|web)\b",
         r"\b(?:their|the|your|our|its|company'?s|booking|comparison) (?:web)?site\b", r"\bbrowsers?\b",
         r"\b(?:laptop|desktop|computer|pc)\b", r"\b(?:web|live) ?chat\b", r"\bonline (?:checkout|form|account|banking|booking|portal|shop|store)\b",
         r"\b\w+\.(?:com|co\.uk|org|net|io)\b", r"\bportal\b", r"\bon the web\b", r"\b(?:booking|payment|checkout|product|login|log-?in|account|help|contact|pricing|home|landing|sign-?up) page\b", ),
        (r"\bonline\b", r"\bsite\b", r"\bpages?\b", r"\blinks?\b", r"\bchat ?bot\b", r"\bclick(?:ed|ing|s)?\b", r"\bsearch (?:ad|results)\b"),
    ),
    "mobile app": (
        (r"\bapps?\b", r"\b(?:iphone|android|ios|app ?store|play store|google play)\b", r"\bpush notifications?\b",
         r"\bon my (?:phone|mobile|smartphone)\b", r"\bsmartphone\b"),
        (r"\bnotifications?\b", r"\btap(?:s|ped|ping)?\b", r"\bswip(?:e|ed|ing)\b", r"\bdownload(?:ed)? (?:the|their|it)\b", r"\bmobile\b",
         r"\bhome screen\b"),
    ),
    "social media": (
        (r"\b(?:twitter|tweet(?:ed|s)?|x\.com|facebook|instagram|insta|tiktok|linkedin|youtube|reddit|whatsapp|messenger|snapchat)\b",
         r"\bsocial media\b", r"\b(?:a |by |in a |via )?(?:dms?|direct messages?)\b", r"\breels?\b", r"\bposted (?:about|on)\b",
         r"\btheir (?:facebook |instagram )?page\b"),
        (r"\bforums?\b", r"\bcomments?\b", r"\bpublicly\b", r"\binfluencers?\b"),
    ),
    "email": (
        (r"\be-?mail(?:s|ed|ing)?\b", r"\binbox\b", r"\bnewsletters?\b", r"\bunsubscrib\w*\b", r"\bspam folder\b", r"\bwent to spam\b"),
        (r"\bauto(?:matic|mated)? (?:reply|replies|response)\b", r"\bwrote to\b", r"\bspam\b",),
    ),
    "post": (
        (r"\b(?:by|in|through|via) the post\b", r"\bby (?:post|mail)\b", r"\bin the mail\b", r"\bposted (?:me|it|out|to me)\b",
         r"\bletters?\b", r"\bcheques?\b", r"\benvelopes?\b", r"\bletterbox\b", r"\bmailbox\b", r"\bpostal\b", r"\bsnail mail\b",
         r"\bpaper (?:bills?|statements?|copy|copies|forms?|documents?|tickets?|vouchers?)\b", r"\bcame in the post\b"),
        (r"\bbrochures?\b", r"\bleaflets?\b", r"\bcatalogues?\b", r"\bposted\b",),
    ),
    "delivery": (
        (r"\bcouriers?\b", r"\b(?:delivery|courier) (?:drivers?|guy|man|person|firm|company|slot|van)\b", r"\briders?\b", r"\bparcels?\b",
         r"\bpackages?\b", r"\btracking\b", r"\bdispatch(?:ed)?\b", r"\bshipp(?:ed|ing)\b", r"\bdoorstep\b",
         r"\bdeliver(?:ed|ing|s)?\b", r"\bdeliver(?:y|ies)\b(?!\s+(?:fee|charge|cost|price|address|time|option|estimate)s?)",
),
        (r"\bdrivers?\b", r"\bleft (?:it|my \w+|the \w+) (?:outside|at|behind|with|by)\b",),
    ),
}

STAGE_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "awareness": (
        (r"\bfirst (?:heard|saw|noticed|came across|found out|learn(?:ed|t))\b", r"\bheard (?:about|of)\b", r"\bcame across\b",
         r"\bword of mouth\b", r"\bbillboards?\b", r"\b(?:found|discovered) (?:them|you|it|the \w+) (?:through|via|on|from|in)\b",
         r"\b(?:recommended (?:them|it|you)|told me about)\b", r"\bsaw (?:an?|their|one of their) (?:ad|advert|post|video|reel|tiktok|commercial)\w*\b",
         r"\b(?:first|only) (?:noticed|knew)\b"),
        (r"\bads?\b", r"\badverts?\b", r"\badvertis\w+\b", r"\bcommercials?\b", r"\bsponsored\b", r"\bpodcast\b", r"\bbrochures?\b",
         r"\bleaflets?\b", r"\bcatalogues?\b", r"\btv\b", r"\bsearch (?:ad|results)\b"),
    ),
    "consideration": (
        (r"\bcompar(?:e|ed|es|ing|ison)\b", r"\bshop(?:ping|ped)? around\b",
         r"\bbefore (?:buying|booking|ordering|choosing|deciding|signing|switching|committing|paying|i (?:bought|booked|ordered|chose|signed|paid|switched))\b",
         r"\bweigh(?:ing|ed)? up\b", r"\bshortlist\w*\b", r"\bprice comparison\b",
         r"\bwhich (?:one|plan|tariff|policy|option|package|deal) to\b", r"\bdecid(?:e|ed|ing) (?:between|whether|which)\b",
         r"\bwhat(?:'s| is| was) included\b", r"\b(?:trial(?:ling|led)?|free trial) (?:them|it|against)\b",
         r"\bpicking (?:a|the|one|between)\b", r"\bbrowsing\b",
         r"\b(?:chose|picked|went with|decided on) (?:them|this|you|it|the \w+ with)\b", r"\bdemo(?:s|nstration)?\b", r"\bquote (?:form|page|tool)\b",
         r"\b(?:almost|nearly) didn'?t (?:sign up|buy|book|choose|join|go with|order)\b", r"\b(?:get|got|getting|compare|comparing) (?:a )?quotes?\b"),
        (r"\breviews\b", r"\bchoos(?:e|ing)\b", r"\bchose\b", r"\boptions\b", r"\balternatives?\b", r"\bresearch\w*\b", r"\blooking (?:at|for|around)\b",
         r"\bsearch(?:ing)? for\b", r"\bsearching\b", r"\bquotes?\b", r"\b(?:cheaper|dearer|higher|lower|more expensive) than\b",
         r"\b(?:product (?:photos?|pages?|images?|details)|filters?|search results|listings?|browse)\b"),
    ),
    "purchase/booking": (
        (r"\bcheckout\b", r"\b(?:basket|shopping cart|cart)\b", r"\bcard details\b", r"\bpayment (?:page|screen|step|details|went through|was taken|taken|failed)\b",
         r"\b(?:while|when|after) (?:i was |we were )?(?:paying|ordering|booking|buying)\b",
         r"\b(?:place[ds]?|placing) (?:an|my|the|our) order\b", r"\b(?:order|booking|payment|purchase) confirmation\b", r"\bno confirmation\b",
         r"\bconfirmation (?:e-?mail|number|page|message)\b", r"\bsign(?:ed|ing)? up\b", r"\bopen(?:ed|ing)? (?:an?|my) (?:\w+ )?account\b",
         r"\bbook(?:ed|ing)? (?:an? |the |my )?(?:appointment|table|ticket|room|flight|seat|slot)s?\b",
         r"\bbought\b", r"\bpurchas(?:e|ed|ing)\b", r"\bupsell\w*\b", r"\b(?:at|on) the (?:last|final) (?:step|screen|page)\b",
         r"\bcharged (?:me )?twice\b", r"\bdouble[- ]charged\b", r"\b(?:took|taken|take) (?:my|the|our) (?:money|payment)\b",
         r"\b(?:re-?order(?:ed|ing)?|repeat (?:orders?|prescriptions?))\b", r"\b(?:ask(?:ed)? for|get|got|make|made|book(?:ed)?) an? appointment\b",
         r"\b(?:at|on) the (?:tills?|checkout|counter)\b", r"\bcharged (?:me )?(?:the )?full price\b", r"\bappl(?:y|ied|ying|ication) (?:for|form)\b", r"\border(?:ed|ing)? (?:the|a|an|my)\b"),
        (r"\bpa(?:y|id|ying)\b(?!-in)", r"\bpayment\b", r"\bbuy(?:ing)?\b", r"\border(?:ed|ing)?\b", r"\bbook(?:ed|ing)?\b(?! (?:details|reference|number))", r"\bconfirmation\b",
         r"\bsubscri(?:be|bed|ption)\b", r"\bupgrad(?:e|ed|ing)\b", r"\bdeposit\b", r"\binstal(?:l)?ments?\b", r"\badd-?ons?\b", r"\bdeal\b", r"\bwithout (?:asking|my consent)\b", r"\bcreate an account\b", r"\b(?:coupons?|vouchers?|discount codes?|promo codes?)\b", r"\bfees?\b"),
    ),
    "use": (
        (r"\bduring (?:the|my|our) (?:stay|flight|trip|journey|visit|holiday|appointment|treatment|contract)\b", r"\bour stay\b",
         r"\bevery (?:time|day|evening|night|morning|month|week) i (?:use|open|log|try|go)\b", r"\bevery (?:evening|night|morning|month)\b",
         r"\b(?:stopped|stops|stop) working\b", r"\b(?:coverage|signal|broadband|wi-?fi|internet|connection)\b", r"\boutages?\b",
         r"\bstatements?\b", r"\bmeter readings?\b", r"\busage\b", r"\bovercharg\w*\b", r"\b(?:overdraft|account fee|monthly fee|standing charge)s?\b",
         r"\b(?:on board|the flight itself|the room was|the food was|the meal)\b", r"\bwhile (?:using|staying|travelling|driving|watching)\b", r"\b(?:at|during) (?:the )?check-?in\b", r"\bwhile (?:i was |we were )?(?:abroad|away|on holiday)\b", r"\bon the ward\b",
         r"\b(?:train|flight|bus|ferry|service|signal|connection|water|power|electricity|heating|internet|broadband|network) (?:was |is |got |has been |keeps )?(?:cancelled|delayed|off|down|cut|dropping|lost)\b"),
        (r"\bbalance\b", r"\blog(?:ging)? ?in\b", r"\bsign(?:ing)? ?in\b", r"\bmy account\b(?! (?:number|details))", r"\baccount (?:page|website|site|app|settings)\b",
         r"\bbills?\b", r"\bdirect debits?\b", r"\bstanding orders?\b", r"\bboarding\b",
         r"\bkeeps?\b", r"\bwhenever\b", r"\balways\b", r"\bevery time\b", r"\blog(?:ged|s)? (?:me )?(?:in|out)\b", r"\bsince (?:the|last)\b",
         r"\bdaily\b", r"\bwater\b", r"\bgas\b", r"\bpower\b"),
    ),
    "delivery/fulfilment": (
        (r"\b(?:order|parcel|package|delivery|goods|items?|tickets?|e-?tickets?|card|engineer|technician|food|meal|furniture|router|replacement)\s+(?:has |had |have )?(?:finally |eventually |only |still |never )?(?:arrived|came|turned up|showed up)\b",
         r"\bnever (?:came|came through|turned up|showed up|arrived|came in)\b", r"\bhas(?:n'?t| not) (?:come|arrived|turned up)\b",
         r"\b(?:didn'?t|did not) (?:turn up|show up|arrive|come)\b", r"\bturn(?:ed)? up\b", r"\bdelivered\b", r"\bdelivery (?:was|came|arrived|never|took|is|driver|date)\b",
         r"\bcouriers?\b", r"\bparcels?\b", r"\bdispatch(?:ed)?\b", r"\bshipp(?:ed|ing)\b", r"\btracking\b", r"\binstall(?:ed|ation|er|ing)?\b",
         r"\bactivat(?:e|ed|ion|ing)\b", r"\bcame through\b", r"\be-?tickets?\b",
         r"\bnot what (?:i|we) (?:ordered|booked|paid for)\b", r"\bwrong (?:item|size|colou?r|room|order|product|flat|house|address)\b",
         r"\b(?:was|were|is|are) missing\b", r"\bmissing from\b", r"\bcollect(?:ion|ing)?\b", r"\b(?:would|should|was meant to|were meant to|was supposed to|were supposed to|was due to) (?:be )?(?:installed|delivered|connected|ready|arrive|come|sent)\b",
         r"\b(?:only|finally) (?:came|arrived|turned up|came through|showed up)\b", r"\bpick(?:ed)? up (?:the|my|our) (?:car|keys|order|parcel)\b",
         r"\bnever (?:got|received) (?:the|my|it)\b",
         r"\b(?:food|order|delivery|parcel|package|meal|engineer|driver|courier|rider) (?:was|is|were|arrived|came|turned up) (?:\w+ )?late\b",
         r"\b(?:was|is|were) (?:it )?ready\b", r"\bready (?:for collection|to collect|to pick up)\b",
         r"\b(?:booked|ordered|paid for|paid extra for|asked for|reserved)\b.{0,60}\b(?:but|and|then) (?:got|we got|i got|they gave|gave us|received|had us)\b",
         r"\b(?:when|as soon as|once|by the time) (?:we|i) (?:arrived|got there|turned up)\b", r"\b(?:we|i) arrive(?:d)? at\b",
         r"\b(?:couldn'?t|could not|can'?t|didn'?t) find (?:my|our|the|me|us)\b(?:.{0,20}\b(?:booking|reservation|order|name))?",
         r"\bno record of (?:my|our|the)\b", r"\bhad (?:us|me) down (?:for|as)\b"),
        (r"\barriv(?:e|ed|es|al)\b", r"\breceived\b", r"\blate\b", r"\briders?\b", r"\bsent (?:me|us)\b", r"\bengineer\b", r"\bdriver\b", r"\bset ?up\b",),
    ),
    "support": (
        (r"\brefund(?:s|ed)?\b", r"\bcomplain(?:t|ts|ed|ing)?\b", r"\bcustomer (?:service|services|support|care)\b", r"\bsupport (?:team|ticket|line|chat)\b",
         r"\bhelp ?(?:desk|line)\b", r"\bhelpline\b",
         r"\b(?:cancel(?:led|ling)?|chang(?:e|ed|ing)|amend(?:ed|ing)?|modif(?:y|ied|ying)|rebook(?:ed|ing)?|reschedul(?:e|ed|ing)) (?:my|the|our|a|it|their)\b",
         r"\b(?:cancelling|cancellation of) (?:my|the|our) \w+\b", r"\breturn(?:ed|ing|s)? (?:it|the|a|my|an)\b", r"\breturns\b", r"\bsent (?:it |them )?back\b",
         r"\bexchange\b", r"(?<!no )\bclaims?\b", r"\bdisputes?\b", r"\bchas(?:e|ed|ing)\b", r"\bescalat\w+\b", r"\bcompensation\b",
         r"\blost (?:bag|luggage|suitcase|card)\b", r"\breported (?:the|a|it)\b", r"\basked (?:about|for help|them to)\b",
         r"\b(?:get|got|getting) (?:through|help|an answer)\b", r"\bon hold\b", r"\bhold music\b",
         r"\b(?:automated|recorded) (?:phone |voice |telephone )?(?:system|menu|voice|line|message)s?\b", r"\b(?:voice|phone) menu\b", r"\bpress(?:ed)? (?:\d|one|two|three)\b",
         r"\bcall ?cent(?:re|er)s?\b", r"\b(?:helpline|hotline|customer service line)\b", r"\btransferr?ed (?:me|us|between)\b",
         r"\b(?:tweeted|messaged|dm'?d|posted about|complained (?:on|to|about))\b",
         r"\b(?:emailed|e-mailed|rang|phoned|called|wrote to|messaged|contacted|chased) (?:them |the \w+ |their \w+ |customer \w+ |support )?(?:about|twice|three times|again|several times|every)\b",
         r"\breport (?:it|a problem|the problem|an issue|a fault|the fault)\b", r"\bcame (?:out )?to (?:look at|fix|repair|inspect|check)\b", r"\bclaim (?:back|it)\b", r"\bcase (?:number|reference)\b", r"\b(?:with|to|from|contacted|contacting|emailed|rang|phoned|called) (?:customer )?support\b", r"\b(?:couldn'?t|can'?t|cannot|unable to) (?:pay|afford)\b",
         r"\breplacement\b", r"\b(?:resolve|resolved|sort(?:ed)? (?:it|out))\b",
        ),
        (r"\bhelp\b", r"\bsupport\b", r"\b(?:chat ?bot|live chat|web ?chat)\b", r"\bproblem\b", r"\bissue\b", r"\bfault\w*\b", r"\bfix(?:ed)?\b", r"\btransferr?ed\b", r"\bagent\b", r"\breply\b",
         r"\banswer\b", r"\bpromised\b", r"\bform\b", r"\bcalling\b"),
    ),
    "loyalty and advocacy": (
        (r"\bloyalty\b", r"\b(?:points|miles|air ?miles|rewards?)\b", r"\b(?:tier|gold|silver|platinum|elite) (?:status|member\w*|tier)\b",
         r"\bstatus\b", r"\bmembership\b", r"\brenew(?:al|ed|s|ing)?\b", r"\brecommend(?:ed|ing)?\b",
         r"\bnever (?:again|(?:use|shop|fly|book|buy|bank|stay|order) (?:with|from|there|at)?\s*(?:them|there|it)? ?again)\b",
         r"\b(?:i'?ll|will|won'?t|we'?ll) (?:never )?(?:be )?(?:back|use them again|shop there again|book (?:with them )?again)\b",
         r"\bswitch(?:ing|ed)? (?:to (?!them\b|you\b|this\b)|supplier|provider|bank|insurer|next|away)",
         r"\b(?:contract (?:had |has )?(?:ended|run out|expired)|end of (?:my|the) contract|out of contract)\b", r"\bleav(?:e|ing) (?:them|for)\b", r"\bstopped using\b",
         r"\btold (?:everyone|all my|my (?:friends|family|colleagues)|half)\b", r"\b(?:five|one|5|1)[- ]star\b", r"\bleft (?:a|them a) review\b", r"\btrustpilot\b",
         r"\b(?:years?|decades?) with them\b", r"\bbeen with them\b", r"\bloyal\b", r"\bcome back\b", r"\bavoid them\b",
         r"\b(?:auto(?:matically)?[- ]?renew\w*|renewed automatically)\b",
         r"\b(?:looking (?:at|for) (?:alternatives|another (?:bank|provider|supplier|insurer|company)|other (?:providers|banks|suppliers|insurers))|thinking (?:of|about) (?:leaving|switching|moving))\b", r"\bnew customers\b", r"\bthreaten(?:ed|ing) to leave\b"),
        (r"\bmember\b", r"\bsubscription\b", r"\bdowngraded\b", r"\bexpired\b", r"\bnext year\b",),
    ),
}

DIMENSION_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customer service": (
        (r"\b(?:rude|impolite|unhelpful|dismissive|condescending|patronising|patronizing|arrogant|abrupt|talked down|attitude|rude names)\b",
         r"\b(?:helpful|friendly|kind|patient|lovely|polite|brilliant|knowledgeable) (?:and|staff|agent|adviser|person|woman|man|lady|guy|team)\b",
         r"\b(?:was|were) (?:so |very |really )?(?:helpful|kind|patient|lovely|polite|rude|brilliant)\b", r"\bhung up on (?:me|us)\b",
         r"\bcustomer (?:service|services|support|care)\b", r"\b(?:support|complaints?|claims|service) team\b", r"\bchas(?:e|ed|ing)\b",
         r"\bnever (?:replied|responded|got back|called back|rang back|answered)\b", r"\bno (?:reply|response|answer|one got back)\b",
         r"\b(?:took|taking) (?:\w+ )?(?:days|weeks|months) to (?:reply|answer|respond|sort|deal)\b", r"\btransferr?ed (?:me|four|three|twice)\b",
         r"\b(?:nobody|no one|none of them) (?:could|would|took|helped|explained|knew|called|replied)\b", r"\bcanned answers?\b", r"\b(?:nobody|no one|no-one|someone|anyone) (?:from|at) (?:the company|the bank|the shop|their|customer)\b", r"\ba real person\b", r"\b(?:reach|speak to|talk to|get hold of|get through to) (?:a|an|any|one) (?:real )?(?:person|human|agent|adviser|advisor)\b",
         r"\b(?:no|never got a|didn'?t get a) (?:reply|response|answer|call ?back)\b",
         r"\bcopy-?paste(?:d)? (?:reply|answer|response)\b", r"\b(?:just|only) repeated\b", r"\b(?:template|generic|standard|automatic) (?:reply|response|letter|email)\b",
         r"\b(?:money|refund) (?:was |has )?never (?:been )?(?:returned|arrived|came|refunded|paid back)\b", r"\bhold music\b", r"\bscript(?:ed)?\b", r"\bsorted (?:it )?out\b", r"\bon hold\b",
         r"\b(?:advisers|agents|operators) are busy\b", r"\bstill (?:no|have no|haven'?t had an?) (?:answer|reply|refund)\b", r"\bignored\b",
         r"\bpromised (?:a|me|to)\b", r"\brefund\w*\b.{0,60}\b(?:weeks?|months?|still|hasn'?t|never)\b",
         r"\bstaff\b", r"\bauto(?:matic)? reply\b", r"\bget through\b",
         r"\b(?:staff|agent|adviser|advisor|person|man|woman|lady|guy|cashier|receptionist|engineer|driver|rep|assistant|clerk|nurse)\b.{0,60}\b(?:couldn'?t (?:help|process|find|answer|explain)|refused|didn'?t know|rude|kind|helpful|explained|ignored|chatted)\b"),
        (r"\b(?:agent|adviser|advisor|operator|representative|receptionist|cashier|supervisor|manager|consultant|handler|assistant|person|woman|man|lady|guy|chap)\b",
         r"\bnobody\b", r"\bno one\b", r"\breplied\b", r"\bresponded\b", r"\bcalled me\b", r"\bsupport\b", r"\bhelp\w*\b", r"\bapologi[sz]\w*\b",
         r"\bqueu\w*\b", r"\bwaiting\b", r"\btold me\b", r"\bwas told to\b", r"\bcomplain\w*\b"),
    ),
    "marketing and advertising": (
        (r"\bads?\b", r"\badverts?\b", r"\badvertis\w+\b", r"\bcommercials?\b", r"\bbillboards?\b", r"\bpromotional\b", r"\bpromos?\b",
         r"\bmarketing\b", r"\bnewsletters?\b", r"\bspecial offers?\b", r"\bsponsored\b", r"\bbrochures?\b", r"\bleaflets?\b", r"\bcatalogues?\b",
         r"\bcampaigns?\b", r"\binfluencers?\b", r"\b(?:texts?|messages?|emails?|notifications?) (?:about|with|advertising) (?:\w+ )?(?:deals|offers|promotions|discounts|sales)\b", r"\breels?\b", r"\bunsubscrib\w*\b", r"(?<!to )(?<!in )(?<!my )(?<!the )\bspam(?:med|ming)?\b(?! folder)"),
        (r"\boffers?\b", r"\bpromis(?:e|ed|ing)\b", r"\bpush notifications?\b", r"\btiktok\b", r"\binstagram\b", r"\byoutube\b", r"\b\w+ emails? a (?:day|week)\b",
        ),
    ),
    "sales process": (
        (r"\bsales(?:m[ae]n|wom[ae]n|person|people| rep| reps| pitch| team| calls?| assistant| tactics?)\b", r"\bupsell\w*\b", r"\bhard sell\b",
         r"\bpush(?:ed|ing|y)? (?:me|a|an|the|extras|insurance|add-?ons)\b", r"\b(?:kept|keep) pushing\b", r"\bpressure\b", r"\badd-?ons?\b",
         r"\bextended warranty\b", r"\bwithout (?:asking|my consent|telling me)\b", r"\bauto(?:matically)?[- ]?renew\w*\b",
         r"\bfree trial\b", r"\bmis-?sold\b", r"\b(?:order|booking|payment|purchase) confirmation\b", r"\bno confirmation\b",
         r"\bnever (?:got|received) (?:a|the|any) confirmation\b", r"\bpayment (?:went through|was taken|taken)\b", r"\b(?:took|taken) (?:the|my) (?:money|payment)\b",
         r"\bsell me\b", r"\bsold me\b", r"\bthe deal\b",
        ),
        (r"\bsales\b", r"\bsell\w*\b", r"\bdeal\b", r"\bconfirmation\b", r"\bsign(?:ed|ing)? up\b", r"\bcontract\b", r"\bpackage\b", r"\btrial\b"),
    ),
    "pricing": (
        (r"\b(?:price|prices|priced|pricing)\b", r"\bfees?\b", r"\bsurcharges?\b", r"\b(?:service|booking|admin|card|delivery|change|city|resort|roaming|overdraft) (?:fee|charge|tax)s?\b",
         r"\bovercharg\w*\b", r"\bexpensive\b", r"\bcheap(?:er|est)?\b", r"\btariffs?\b", r"\bdiscounts?\b", r"\bvalue for money\b", r"\brip-?off\b",
         r"\b(?:price|bill|premium|quote|cost) (?:rise|rises|increase|increases|went up|goes up|has gone up|jumped|doubled)\b",
         r"\b(?:went|gone|going) up by\b", r"\bcharged (?:me|us)\b", r"\bcharges\b", r"\bcosts?\b", r"\bhalf[- ]price\b", r"\b\d+% off\b",
         r"\binterest rates?\b", r"\bcharged twice\b", r"\bdouble[- ]charged\b", r"\bexcess\b", r"\bpremiums?\b",),
        (_MONEY, r"\bbills?\b", r"\brates?\b", r"\b(?:invoices?|tax|vat)\b", r"\bcharged?\b", r"\bpaid\b", r"\bpay(?:ing)?\b", r"\bmoney\b", r"\bafford\w*\b", r"\bhidden\b", r"\bworth\b",),
    ),
    "brand reputation": (
        (r"\b(?:trust|trusted|distrust|mistrust)\b", r"\breputation\b", r"\breputable\b", r"\bhorror stor(?:y|ies)\b", r"\bscam(?:mers?|s)?\b",
         r"\bcowboys\b", r"\bethic\w*\b", r"\bnever (?:again|(?:use|shop|fly|book|buy|bank|order) (?:with|from|there|at)?\s*(?:them|there)? ?again)\b",
         r"\b(?:i'?d|would) recommend\b", r"\b(?:avoid|boycott) them\b",
         r"\beveryone (?:i know|says)\b", r"\brav(?:e|es|ed|ing) about\b", r"\btold (?:all )?(?:my )?(?:friends|family|colleagues|everyone)\b", r"\bdata breach\b", r"\b(?:their|bad|good|terrible|excellent) reviews\b", r"\bshame on\b",
         r"\bdisgrace\w*\b", r"\blet (?:me|us) down\b", r"\bthe (?:brand|company as a whole)\b", r"\btold everyone\b",
         r"\brecommend(?:ed)? (?:this|the|them)\b"),
        (r"\breviews?\b", r"\brecommend\w*\b", r"\bfriends?\b", r"\btold me about\b", r"\beveryone\b", r"\bnever\b.{0,30}\bagain\b", r"\byears? with them\b",
         r"\bswitching\b", r"\bshortlist\w*\b"),
    ),
    "product and delivery": (
        (r"\b(?:broke|broken|faulty|defective|damaged|crushed|cracked|smashed|leaking|mouldy|stale)\b", r"\b(?:stopped|stops) working\b",
         r"\bout of order\b", r"\b(?:never|didn'?t|doesn'?t|won'?t|wouldn'?t) (?:switched on|switch on|start|started|work|worked|working)\b", r"\b(?:would|should|was meant to|were meant to|was supposed to|were supposed to|was due to) (?:be )?(?:installed|delivered|fixed|connected|ready|arrive|come|sent)\b",
         r"\b(?:only|finally) (?:came|arrived|turned up|came through|showed up)\b", r"\bwrong (?:item|size|colou?r|room|order|product|flat|house|address|destination|name)\b",
         r"\bnot (?:as described|what (?:i|we) (?:ordered|booked|paid for))\b", r"\bnever (?:came|arrived|turned up|showed up|came through)\b",
         r"\b(?:didn'?t|did not) (?:turn up|show up|arrive|come)\b", r"\b(?:has|have)n'?t (?:come|arrived)\b", r"\b(?:arrived|came|turned up) (?:late|cold|damaged|broken|without|with)\b",
         r"\b(?:delayed|cancell?ed)\b", r"\bdelays?\b", r"\boutages?\b", r"\bdrops? out\b", r"\b(?:coverage|signal|connection)\b",
         r"\b(?:was|were|is|are) missing\b", r"\bwithout (?:any )?warning\b", r"\bcold\b", r"\b(?:hour|hours|days|weeks) late\b",
        
        ),
        (r"\blate\b", r"\bquality\b", r"\bdeliver\w*\b", r"\barriv\w*\b", r"\bcourier\b", r"\bdriver\b", r"\brider\b", r"\bparcel\b",
         r"\bthe (?:room|flight|food|meal|product|service|train|bus)\b", r"\bwarning\b", r"\bfailed\b", r"\bnever (?:got|received)\b"),
    ),
    "UX": (
        (r"\bcrash(?:es|ed|ing)?\b", r"\bfreez(?:e|es|ing)\b", r"\bfroze\b", r"\bfrozen (?:screen|app|page)\b", r"\bbug(?:s|gy)?\b", r"\bglitch\w*\b",
         r"\b(?:slow to load|won'?t load|doesn'?t load|didn'?t load|takes forever to load)\b", r"\bspinning wheel\b", r"\berror (?:message|page|code)s?\b",
         r"\bsomething went wrong\b", r"\blogg(?:ed|ing|s)? (?:me )?out\b", r"\bkicks? (?:me|you) out\b", r"\blog(?:ged)? (?:me )?out\b",
         r"\b(?:verification|security|login|log-?in|one-time|sms) codes?\b", r"\botp\b", r"\b2fa\b", r"\btwo-factor\b",
         r"\b(?:times?|timing|timed) out\b", r"\bkeeps? (?:failing|crashing|freezing)\b", r"\bkept failing\b", r"\bunreliable\b",
         r"\bhasn'?t updated\b", r"\bwon'?t (?:open|work|accept)\b", r"\bwouldn'?t (?:accept|load|open|let me log)\b",
         r"\b(?:since|after) the (?:last |latest )?update\b", r"\blocked (?:me )?out\b", r"\b(?:password )?reset (?:link|code|email)\b", r"\b(?:didn'?t|wouldn'?t|won'?t|doesn'?t) (?:recognise|recognize|read|scan)\b",),
        (r"\blog ?in\b", r"\bsign ?in\b", r"\bslow\b", r"\bloading\b", r"\bupdate\b", r"\bfailing\b", r"\bdown\b", r"\bbroken\b"),
    ),
    "usability": (
        (r"\bconfus\w*\b", r"\bcomplicated\b", r"\b(?:difficult|hard|impossible|easy|easier|simple|quick) to (?:use|do|find out|work out|change|cancel|understand|book|order|buy|figure)\b",
         r"\bcouldn'?t (?:work out|figure out|understand how)\b", r"\bno idea how\b", r"\btoo many (?:steps|screens|clicks|pages|forms)\b",
         r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (?:steps|screens|clicks|pages|forms)\b", r"\btook (?:me )?ages\b",
         r"\bintuitive\b", r"\buser[- ]friendly\b", r"\bmade it (?:really |so )?easy\b",
         r"\b(?:enter|type|fill in|give)\w* .{0,30}\b(?:twice|three times|again)\b", r"\bsame (?:questions|details|information)\b", r"\bsame (?:\w+ ){0,2}(?:again|twice|(?:\d+|three|four|five|six) times)\b",
         r"\bthe whole process\b", r"\bthere'?s no (?:button|option|way)\b", r"\bask(?:s|ed)? (?:me )?(?:for )?(?:it|the same \w+|my \w+(?: \w+)?) again\b",
        ),
        (r"\bforms?\b", r"\bsteps\b", r"\bprocess\b", r"\beasy\b", r"\bhard\b", r"\bdifficult\b", r"\bwork out\b", r"\bhow to\b"),
    ),
    "navigation": (
        (r"\b(?:couldn'?t|can'?t|cannot|could not|unable to|never) find\b.{0,40}\b(?:page|button|link|option|setting|menu|tab|section|form|app|site|website|screen)s?\b",
         r"\b(?:page|button|link|option|setting|menu|tab|section|form)s?\b.{0,30}\b(?:couldn'?t|can'?t|cannot|could not|impossible to) find\b", r"\bbur(?:y|ies|ying)\b", r"\bfind (?:where|the (?:page|button|link|option|setting))\b", r"\bwhere (?:to find|is the|the)\b",
         r"\bburied\b", r"\bgo(?:ing)? back\b", r"\bback button\b", r"\bhome screen\b", r"\bsearch (?:bar|box|function|field)\b",
         r"\bnavigat\w+\b", r"\bgot lost\b", r"\b(?:main|drop-?down|hamburger|side|app|site|website) menus?\b", r"\bget to (?:it|the)\b",
        ),
        (r"\b(?:couldn'?t|can'?t|cannot|could not|unable to|never) find\b", r"\bsearch\w*\b", r"\blinks?\b", r"\bhidden\b", r"\btabs?\b", r"\bscroll\w*\b", r"(?<!voice )(?<!phone )(?<!automated )(?<!recorded )(?<!the food )\bmenus\b"),
    ),
    "interaction design": (
        (r"(?<!no )\bbuttons?\b", r"\btap(?:s|ped|ping)?\b", r"\bclick(?:s|ed|ing)?\b", r"\bswip(?:e|es|ed|ing)\b", r"\bgre[ye]ed out\b",
         r"\bdrop-?downs?\b", r"\bpop-?ups?\b", r"\bspinner\b", r"\bnothing happen\w*\b", r"\bnothing (?:tells|shows|says) (?:me|you)\b", r"\b(?:no|without any) (?:message|feedback|indication|sign) (?:to say|that|whether)\b", r"\bdoes nothing\b", r"\bno (?:feedback|message|spinner)\b",
         r"\bkeyboard\b", r"\bdate picker\b", r"\bcalendar\b", r"\btoggles?\b", r"\bcheck ?box(?:es)?\b", r"\bsliders?\b",
         r"\bautofill\b", r"\breset(?:s|ting)?\b", r"\bclear(?:s|ed)? (?:itself|themselves|the form)\b", r"\bupload\w*\b", r"\b(?:doesn'?t|didn'?t|does not) (?:respond|react)\b",
         r"\bpress(?:ed|ing)? (?:\d|one|two|three|pay|save|submit|next)\b", r"\bdidn'?t (?:catch|understand)\b",
         r"\bround in circles\b",),
        (r"\bfields?\b", r"\bscreen\b", r"\bselect\b", r"\bsubmit\b", r"\bpress\w*\b", r"\bfilters?\b"),
    ),
    "visual design": (
        (r"\bfonts?\b", r"\btext (?:is|was) (?:too |so )?(?:small|tiny|big|large|light|pale)\b", r"\btiny (?:text|font|print|grey)\b",
         r"\b(?:can'?t|cannot|barely|hardly) read\b", r"\bunreadable\b", r"\bcolou?rs?\b", r"\bcontrast\b", r"\blayout\b", r"\bclutter(?:ed)?\b",
         r"\blooks? (?:dated|old|awful|cheap|modern|nice|ugly|like it was)\b", r"\bugly\b", r"\bdark mode\b", r"\bicons?\b",
         r"\b(?:photos?|images?|pictures?) (?:are|is) (?:tiny|small|blurry)\b", r"\bflashing\b", r"\bbanners?\b", r"\b(?:light|pale) gr[ae]y\b",
         r"\bwhite text on\b",),
        (r"\bdesign\b", r"\bredesign\b", r"\blooks?\b", r"\bgrey\b", r"\bgray\b", r"\bbright\b", r"\bsmall\b", r"\btiny\b", r"\bphotos?\b"),
    ),
    "information architecture": (
        (r"\bscattered\b", r"\bspread (?:over|across|between)\b", r"\bsplit (?:across|between|over)\b",
         r"\bin (?:two|three|four|several|different) (?:different )?(?:places|sections|tabs|parts|menus|screens)\b",
         r"\b(?:different|separate) (?:parts?|sections?|places|tabs|pages|areas) of\b", r"\beach in a different\b", r"\b(?:badly |well )?organi[sz]ed\b",
         r"\bcategor\w+\b", r"\bhidden under\b", r"\bburied under\b",
         r"\ball over the place\b",
        ),
        (r"\bsections?\b", r"\bstructure\w*\b", r"\bgroup(?:ed|ing)\b", r"\blabel(?:s|led)?\b", r"\bunder\b", r"\btabs?\b", r"\blist\b"),
    ),
    "content": (
        (r"\bterms\b", r"\bconditions\b", r"\bt&cs?\b", r"\bsmall print\b", r"\bfine print\b", r"\bwording\b", r"\bworded\b", r"\bjargon\b",
         r"\bwrong (?:\w+ )?(?:information|info|details|link|address|times?|dates?|numbers?)\b", r"\b(?:information|info) (?:was|is) (?:wrong|missing|unclear|out of date)\b",
         r"\bfaqs?\b", r"\bhelp articles?\b", r"\bpolicy (?:document|wording)s?\b", r"\btranslat\w+\b", r"\btypos?\b", r"\bmisleading\b", r"\bunclear\b",
         r"\bvague\b", r"\b(?:couldn'?t|can'?t|hard to|impossible to) tell (?:which|what|whether|if|the difference)\b", r"\b(?:abbreviations|acronyms)\b",
         r"\b(?:bills?|letters?|statements?|invoices?|emails?|terms|wording|instructions) (?:is|are|was|were) (?:so |really |very |too )?(?:confusing|unclear|hard to understand|full of jargon|long|technical|vague)\b",
         r"\b(?:too (?:long|technical|wordy)|long-winded)\b", r"\b(?:doesn'?t|didn'?t|does not|did not) (?:say|mention|explain)\b", r"\bno (?:mention|explanation)\b",
         r"\bcontradict\w*\b", r"\bexclusions?\b", r"\bdescri(?:be|bed|ption)s?\b",
         r"\b(?:menu|page|site|leaflet|letter|document|email|policy) says\b",),
        (r"\binformation\b", r"\bexplain\w*\b", r"\bpolicy\b", r"\bguide\b", r"\binstructions\b", r"\bunderstand\b"),
    ),
}

#: the cue tables of the default lenses, by lens name
CUES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "dimension": DIMENSION_CUES,
    "touchpoint": TOUCHPOINT_CUES,
    "stage": STAGE_CUES,
}


@lru_cache(maxsize=None)
def _compiled(lens: str, label: str) -> tuple[tuple[re.Pattern[str], float], ...]:
    strong, weak = CUES.get(lens, {}).get(label, ((), ()))
    return tuple((re.compile(p, re.IGNORECASE), STRONG) for p in strong) + tuple(
        (re.compile(p, re.IGNORECASE), WEAK) for p in weak
    )


def matched_cues(text: str, lens: str, label: str) -> list[str]:
    """Return the patterns of ``label`` that match ``text`` (why a cue voted; for people checking a label).

    Example:
        >>> matched_cues("I rang them about my refund", "touchpoint", "call centre")[:2]
        ['\\\\b(?:i|we|she|he|they|mum|dad) (?:rang|phoned|telephoned|called)\\\\b', '\\\\b(?:rang|phoned|called) (?:them|the|their|up|customer|back)\\\\b']
        >>> matched_cues("I rang them about my refund", "touchpoint", "mobile app")
        []
    """
    return [pattern.pattern for pattern, _ in _compiled(lens, label) if pattern.search(text)]


def cue_matrix(texts: Sequence[str], lens: str, labels: Sequence[str]) -> np.ndarray:
    """Return an ``(n_texts, n_labels)`` array of cue scores (0 to :data:`MAX_CUE_SCORE`).

    Columns follow ``labels``; a label without cues (one a study added) scores 0 everywhere. A
    pattern is tried only on the texts that hold one of the words it must start with (found in
    one pass over all texts), so 100,000 passages take seconds, not minutes.

    Example:
        >>> cue_matrix(["refund took six weeks", "I compared prices before choosing"], "stage", ["consideration", "support"]).tolist()
        [[0.0, 1.0], [2.0, 0.0]]
    """
    scores = np.zeros((len(texts), len(labels)), dtype=np.float32)
    if not len(texts):
        return scores
    search = PatternSearch(texts)
    for column, label in enumerate(labels):
        for pattern, weight in _compiled(lens, label):
            scores[search.rows_matching(pattern), column] += weight
    return np.minimum(scores, MAX_CUE_SCORE)


def cue_scores(texts: Sequence[str], lens: str) -> list[dict[str, float]]:
    """Return each text's cue score per default label of ``lens`` (a readable form of :func:`cue_matrix`).

    Example:
        >>> cue_scores(["the courier left my parcel in the rain"], "touchpoint")[0]["delivery"]
        2.0
    """
    labels = list(CUES.get(lens, {}))
    matrix = cue_matrix(texts, lens, labels)
    return [{label: float(value) for label, value in zip(labels, row)} for row in matrix]
