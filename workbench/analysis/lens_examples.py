"""Example sentences per default lens label: what customers of many industries say about it.

Label descriptions (:mod:`workbench.analysis.lenses`) say what a label *means*; these examples say
how it *sounds*, in the words of customers of a shop, a bank, a phone company, an energy supplier,
a clinic, an airline, a software vendor, an insurer and a takeaway app. A passage's similarity to
a label's nearest example is the second half of its embedding score
(:mod:`workbench.analysis.lens_attribution`). Labels a study adds in ``study.toml`` have no
examples and are placed by their description alone.

Example:
    >>> len(EXAMPLES["touchpoint"]["mobile app"]) >= 5
    True
    >>> sorted(EXAMPLES)
    ['dimension', 'stage', 'touchpoint']
"""
from __future__ import annotations

DIMENSION_EXAMPLES: dict[str, tuple[str, ...]] = {
    "customer service": (
        "The person who answered was rude and hung up on me.",
        "Nobody ever got back to me about my complaint.",
        "The staff were friendly and sorted my problem out quickly.",
        "I had to chase them five times before anyone helped.",
        "Each agent told me something different and nobody took responsibility.",
        "Customer service took three weeks to reply.",
        "They kept promising a call back that never happened.",
    ),
    "marketing and advertising": (
        "The advert promised something they don't actually offer.",
        "I get promotional emails from them every single day.",
        "The offer in their advert wasn't valid when I tried to use it.",
        "Too many marketing texts and notifications.",
        "Their TV campaign is everywhere but tells you nothing.",
        "I keep getting junk mail from them after unsubscribing.",
    ),
    "sales process": (
        "They pushed extras and add-ons at me before I could buy.",
        "The salesperson pressured me into a longer contract.",
        "I was mis-sold a plan I didn't need.",
        "They took my money but I never got an order confirmation.",
        "The trial rolled into a paid subscription without asking me.",
        "Signing up took forever because of all the upselling.",
    ),
    "pricing": (
        "It's far too expensive for what you get.",
        "Hidden fees were added at the end.",
        "My monthly bill keeps going up.",
        "They charged me a fee nobody told me about.",
        "The price went up as soon as the discount ended.",
        "I was overcharged and had to ask for the difference back.",
    ),
    "brand reputation": (
        "I don't trust this company any more.",
        "Everyone I know has had a bad experience with them.",
        "I'd happily recommend them to my friends.",
        "Their reputation is terrible and now I know why.",
        "I'll never use them again after this.",
        "They used to be a company you could rely on.",
    ),
    "product and delivery": (
        "The product broke after a few days.",
        "My order came late and damaged.",
        "The service was down all weekend.",
        "Items were missing from the order.",
        "The flight was cancelled at the last minute.",
        "It didn't work as promised.",
        "The quality is much worse than it used to be.",
    ),
    "UX": (
        "The app keeps crashing.",
        "The website freezes and I lose everything I typed.",
        "It logs me out every few minutes.",
        "The login code never works.",
        "Pages take forever to load.",
        "Since the update it's buggy and unreliable.",
    ),
    "usability": (
        "It's so confusing to do something simple.",
        "Far too many steps just to change one detail.",
        "I couldn't work out how to do it myself.",
        "The form is difficult to fill in.",
        "I had to type the same information in again and again.",
        "It's not easy to use at all.",
    ),
    "navigation": (
        "I couldn't find the page I needed.",
        "The option is buried deep in the menus.",
        "There's no obvious way back to where I was.",
        "The search doesn't find what I'm looking for.",
        "I got lost trying to get to my account settings.",
        "I never know where to click to find my documents.",
    ),
    "interaction design": (
        "I press the button and nothing happens.",
        "There's no message to say whether it worked.",
        "The pop-up covers the field I need to fill in.",
        "The option is greyed out with no explanation.",
        "The form clears itself if you make one mistake.",
        "The phone menu goes round in a loop.",
    ),
    "visual design": (
        "The text is too small to read.",
        "It looks cluttered and old-fashioned.",
        "The colours make it hard to see anything.",
        "The layout is a mess on my screen.",
        "The new design is ugly.",
        "Everything is pale grey and low contrast.",
    ),
    "information architecture": (
        "The information is spread across different sections.",
        "Things are grouped in places that make no sense.",
        "I can't see everything about my account in one place.",
        "The categories are confusing and overlap.",
        "Related details are split over several screens.",
        "Documents are listed with no clear labels or order.",
    ),
    "content": (
        "The terms and conditions are unclear.",
        "The information on the page was wrong.",
        "The letter was full of jargon.",
        "Nothing explains what the policy actually covers.",
        "The instructions are out of date.",
        "The description was misleading.",
    ),
}

TOUCHPOINT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "store / in person": (
        "The staff in the store were very helpful.",
        "I went into the branch to sort it out face to face.",
        "The person at the counter couldn't help.",
        "The receptionist at the front desk was rude.",
        "I queued at the desk for half an hour.",
    ),
    "kiosk / point of sale": (
        "The self-service machine wasn't working.",
        "The card reader at the till declined my card.",
        "The ticket machine only takes cash.",
        "The cash machine kept my card.",
        "The self-checkout kept asking for assistance.",
    ),
    "phone and IVR": (
        "I was on hold for over an hour.",
        "The automated menu didn't have the option I needed.",
        "The recorded message kept repeating.",
        "The voice system couldn't understand me.",
        "The call got cut off after waiting in the queue.",
    ),
    "call centre": (
        "I rang them and the agent was helpful.",
        "The person on the phone transferred me three times.",
        "When I finally spoke to someone on the phone, they couldn't help.",
        "The call centre staff gave me wrong information.",
        "I phoned customer services twice about it.",
    ),
    "website": (
        "Their website is hard to use.",
        "I tried to do it online but the site wouldn't let me.",
        "The web page kept showing an error.",
        "I used the live chat on their website.",
        "The checkout on the site failed on my laptop.",
    ),
    "mobile app": (
        "The app keeps crashing on my phone.",
        "I can't log in to the app.",
        "The app sends too many notifications.",
        "After the app update nothing works.",
        "It's easy to do in the app.",
    ),
    "social media": (
        "I complained on Twitter.",
        "I sent them a message on Facebook.",
        "They replied to my Instagram DM.",
        "I saw lots of complaints on their social media.",
        "I posted about it publicly online.",
    ),
    "email": (
        "I emailed them and got no reply.",
        "The confirmation email never arrived.",
        "They sent an email with the wrong details.",
        "My inbox is full of their emails.",
        "The reply to my email took a week.",
    ),
    "post": (
        "They sent me a letter.",
        "The bill came in the post.",
        "A cheque arrived by post.",
        "The paperwork was posted to the wrong address.",
        "I had to send a letter to complain.",
    ),
    "delivery": (
        "The courier left the parcel outside.",
        "The delivery driver was late.",
        "My package never arrived.",
        "The tracking said delivered but nothing came.",
        "The order was delivered to the wrong house.",
    ),
}

STAGE_EXAMPLES: dict[str, tuple[str, ...]] = {
    "awareness": (
        "I first heard of them from a friend.",
        "I saw their advert on TV.",
        "I found them through a search online.",
        "A colleague recommended them to me.",
        "I noticed them on social media.",
    ),
    "consideration": (
        "I compared a few companies before choosing.",
        "I read the reviews before deciding.",
        "I got several quotes first.",
        "I was trying to work out which plan was best.",
        "I checked what was included before buying.",
    ),
    "purchase/booking": (
        "Paying at the checkout failed.",
        "I placed the order and paid by card.",
        "Booking it online took ages.",
        "I signed up for the plan last month.",
        "The payment went through but I got no confirmation.",
    ),
    "use": (
        "It stops working every few days.",
        "Using it day to day is frustrating.",
        "Every time I open it, something goes wrong.",
        "My monthly bill is always confusing.",
        "During our stay the room was noisy.",
    ),
    "delivery/fulfilment": (
        "My order still hasn't arrived.",
        "The installation was delayed again.",
        "What arrived wasn't what I ordered.",
        "The tickets came the day before.",
        "The engineer didn't turn up.",
    ),
    "support": (
        "I had to contact them about a problem.",
        "My complaint took weeks to resolve.",
        "Getting a refund was a nightmare.",
        "I needed help changing my order.",
        "They sorted out my claim quickly.",
    ),
    "loyalty and advocacy": (
        "My loyalty points disappeared.",
        "I'm switching to another provider when my contract ends.",
        "I've been a customer for years and feel taken for granted.",
        "I'd recommend them to anyone.",
        "The renewal price went up so I'm leaving.",
    ),
}

#: the examples of the default lenses, by lens name
EXAMPLES: dict[str, dict[str, tuple[str, ...]]] = {
    "dimension": DIMENSION_EXAMPLES,
    "touchpoint": TOUCHPOINT_EXAMPLES,
    "stage": STAGE_EXAMPLES,
}
