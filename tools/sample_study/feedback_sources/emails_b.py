"""Support emails, part B (refund delays, hidden fees).

Each item: (theme, customer, customer_email, subject, body, pii); see emails_a.
"""

ITEMS = [
    # ---------------------------------------------------------------- refund_delay
    ("refund_delay", "Hannah Schulz", "hannah.schulz@example.com",
     "Refund for cancelled flight - 10 weeks",
     """Hi Skylark team,

Your airline partner cancelled my flight Hamburg - Lisbon on 2 June. I chose a refund, not a voucher. It's now mid-August and I have received nothing. Since my card has expired in the meantime, please refund to my account: DE89 3704 0044 0532 0130 00.

Regards,
Hannah Schulz""",
     [("iban", "DE89 3704 0044 0532 0130 00"), ("name", "Hannah Schulz")]),
    ("refund_delay", "Oliver Bennett", "oliver.bennett@example.org",
     "Re: Refund request SKY-B7PN4E",
     """Hello again,

It has now been 47 days since your colleague told me the refund was "approved and on its way". Nothing has arrived. I'm not interested in another voucher offer.

Please refund to GB82 WEST 1234 5698 7654 32 if the card refund is the problem.

Oliver Bennett

> On 1 Jul 2026, Skylark Care wrote:
> Hi Oliver, good news, your refund for SKY-B7PN4E has been approved and will reach you within 7-10 working days.
> Warm regards, Sven | Skylark Care""",
     [("iban", "GB82 WEST 1234 5698 7654 32"), ("name", "Oliver Bennett"), ("booking_ref", "SKY-B7PN4E"), ("name", "Oliver"), ("name", "Sven")]),
    ("refund_delay", "Amélie Laurent", "amelie.laurent@mail.test",
     "Remboursement / refund still pending",
     """Bonjour,

The hotel in Marseille was cancelled by you because of a strike (not my choice). You promised a refund in 14 days. After 2 months: nothing. My bank details are FR1420041010050500013M02606.

Please do what is necessary.

Amélie Laurent""",
     [("iban", "FR1420041010050500013M02606"), ("name", "Amélie Laurent")]),
    ("refund_delay", "Stephen Clarke", "steve.clarke@example.com",
     "Voucher not accepted - I want cash",
     """Dear Skylark,

I received an email saying my refund has been "converted to a Skylark voucher for your convenience". It is not for my convenience. I asked for a cash refund, in writing, twice. Under the regulations I am entitled to my money back within 7 days for a cancelled flight.

Please reverse the voucher and refund £388 to the original card (Amex 3782 822463 10005).

Stephen Clarke""",
     [("card", "3782 822463 10005"), ("name", "Stephen Clarke")]),
    ("refund_delay", "Maya Goldstein", "maya.goldstein@example.com",
     "Still waiting",
     """Hi,

Still waiting for the refund for our cancelled Tel Aviv trip. Every few weeks someone replies "it's with finance". Which finance? When?

Maya""",
     [("name", "Maya")]),
    ("refund_delay", "Ricardo Silva", "ricardo.silva@example.org",
     "Refund of taxes for unused ticket",
     """Hello,

I did not fly the return leg of my booking (SKY-RS4T2N). I understand the fare is non-refundable but the airport taxes should be refunded. I applied in April. It's August. Each time I ask I get a new case number.

Obrigado,
Ricardo Silva""",
     [("booking_ref", "SKY-RS4T2N"), ("name", "Ricardo Silva")]),
    ("refund_delay", "Joanna Kaminska", "joanna.kaminska@mail.test",
     "Refund chargeback warning",
     """Dear Skylark Travel,

This is my final email before I ask my bank to do a chargeback. The hotel in Gdańsk was cancelled on 4 May. You confirmed a refund of PLN 2,140 on 6 May. 101 days later I have not received it.

Joanna Kaminska
+48 22 555 01 86""",
     [("name", "Joanna Kaminska"), ("phone", "+48 22 555 01 86")]),
    ("refund_delay", "Chris Taylor", "chris.taylor@example.com",
     "refund",
     """hi you cancelled my flight to ibiza 6 weeks ago. no refund yet. card was 5500-0000-0000-0004 if that helps. please sort.

chris""",
     [("card", "5500-0000-0000-0004"), ("name", "chris")]),
    ("refund_delay", "Emily Watson", "emily.watson@example.org",
     "Refund in 'Skylark Credit' instead of my card",
     """Hi,

I was surprised to see that my refund of £612 for the Barcelona hotel was issued as Skylark Credit. I never selected that. When I called, Fatou told me it could be changed to a card refund but that it would take "up to 60 days" to reverse. That was 60 days ago.

Could you please check and confirm when the money will be back on my card?

Thanks,
Emily Watson""",
     [("name", "Fatou"), ("name", "Emily Watson")]),
    ("refund_delay", "Rajesh Kumar", "rajesh.kumar@example.com",
     "Partial refund only",
     """Dear team,

For booking SKY-K8RJ2M you refunded only the flight part (INR 38,400) but not the hotel (INR 21,900), although both were cancelled together. Three months have passed. Please refund the remaining amount.

My alternative email is rajesh.k.travel@mail.test in case you can't reach me here.

Regards,
Rajesh Kumar""",
     [("booking_ref", "SKY-K8RJ2M"), ("email", "rajesh.k.travel@mail.test"), ("name", "Rajesh Kumar")]),
    ("refund_delay", "Sophie Turner", "sophie.turner@example.com",
     "Re: Re: Re: Refund",
     """Greta,

I'm sorry but "we've escalated this" is what the last four people said. It's been 3 months. I'd like a date.

Sophie

> From: Skylark Care
> Hi Sophie, I've escalated your case to our refunds team as a priority. You'll hear from them shortly.
> All the best, Greta""",
     [("name", "Greta"), ("name", "Sophie")]),
    ("refund_delay", "Patrick Nolan", "patrick.nolan@mail.test",
     "Refund to a closed card",
     """Hello,

The card I paid with (5555 5555 5555 4444) has been closed since I booked. Your system keeps trying to refund to it and it bounces. I've asked three times for you to send it by bank transfer instead. What do you need from me? If a cheque is easier, my address is 27 Willow Crescent, Ballincollig, Cork P31 X8F2.

Patrick Nolan""",
     [("card", "5555 5555 5555 4444"), ("address", "27 Willow Crescent, Ballincollig, Cork P31 X8F2"), ("name", "Patrick Nolan")]),
    ("refund_delay", "Zainab Yusuf", "zainab.yusuf@example.com",
     "Cancellation refund delayed",
     """Good evening,

We cancelled our Mombasa holiday within the free cancellation period (48 days before). The confirmation email says "your refund will be processed within 10 working days". It has now been 9 weeks. I've attached the confirmation email.

Could you also explain why my status now shows 'refund on hold'?

Zainab Yusuf""",
     [("name", "Zainab Yusuf")]),
    ("refund_delay", "Lars Eriksen", "lars.eriksen@example.org",
     "Pushed into voucher on the phone",
     """Hi,

When I called to cancel, the agent said I could have a voucher today or a refund "in about six months". I reluctantly said voucher. I've since learned I was entitled to a refund within 7 days. I want to change to the cash refund.

Lars""",
     [("name", "Lars")]),
    ("refund_delay", "Nadia Rahman", "nadia.rahman@example.com",
     "Refund for overbooked hotel",
     """Hi,

The hotel in Kuala Lumpur was overbooked when we arrived and we were moved to a cheaper hotel. Your agent at the time said the difference (MYR 740) would be refunded "within a week". It's been 5 weeks.

Thank you,
Nadia Rahman""",
     [("name", "Nadia Rahman")]),
    ("refund_delay", "George Harris", "george.harris@mail.test",
     "Where is my money",
     """Dear Sir or Madam,

You owe me £1,046. The flights were cancelled, I have emails saying the refund has been approved, and I have received neither the money nor any explanation. I'd be grateful for an actual answer rather than another template.

G. Harris""",
     [("name", "G. Harris")]),
    ("refund_delay", "Ana Pavlović", "ana.pavlovic@example.com",
     "Refund - status 'approved' for 6 weeks",
     """Hello Skylark,

My refund status has said 'Approved' since 2 July. I can see it in the app. But the money has not come. My bank says nothing incoming. Is there a problem?

Best,
Ana""",
     [("name", "Ana")]),
    ("refund_delay", "Thomas Wright", "t.wright@example.com",
     "Refund for seats that were never assigned",
     """Hi,

I paid £48 for seat selection on SKY-W4TR9X. The airline changed the aircraft and our seats were cancelled. We were seated randomly. I requested a refund of the seat fee at the airport and again by email in May. No refund yet.

Thomas Wright""",
     [("booking_ref", "SKY-W4TR9X"), ("name", "Thomas Wright")]),

    # ---------------------------------------------------------------- hidden_fees
    ("hidden_fees", "Rebecca Lewis", "rebecca.lewis@example.com",
     "Resort fee not disclosed",
     """Hello,

I booked the Miami Beach hotel through your website for 5 nights. At check-out the hotel charged me $210 in "resort fees" ($42 per night). This fee was not shown at any point during the booking. I have screenshots of every page.

Please refund the resort fee or explain where it was disclosed.

Rebecca Lewis""",
     [("name", "Rebecca Lewis")]),
    ("hidden_fees", "Jonas Becker", "jonas.becker@mail.test",
     "Price increased during checkout",
     """Hi,

On the search results the flight Berlin - Rome was shown at €98. On the payment page the total was €141. I went back to check and the search still showed €98. This is misleading. What are the €43?

Jonas""",
     [("name", "Jonas")]),
    ("hidden_fees", "Caroline Ashford", "caroline.ashford@example.org",
     "Baggage fees",
     """Dear Skylark,

We booked a family holiday to Paphos and assumed baggage was included since the airline normally includes it. It wasn't - on Skylark's fare the bags were extra, £45 per bag per way, so £360 for four of us. The booking page showed a small icon that I now understand meant 'no bag'.

I think this should be stated in words, clearly, before payment.

Caroline Ashford""",
     [("name", "Caroline Ashford")]),
    ("hidden_fees", "Mark Jennings", "mark.jennings@example.com",
     "Card fee",
     """Hi, why was I charged a £7.50 "card handling fee" on top? It wasn't in the price I selected. Invoice attached. Please refund it.

Mark Jennings
07700 900913""",
     [("name", "Mark Jennings"), ("phone", "07700 900913")]),
    ("hidden_fees", "Svetlana Orlova", "svetlana.orlova@example.com",
     "Hotel price not honoured",
     """Dear Customer Service,

I saw the Prague hotel for 2,900 CZK per night on your site and booked it. After payment I received an email that the rate was "no longer available" and that I had been charged 3,650 CZK per night instead. Nobody asked me. I want the price that was shown to me or a full refund.

Regards,
Svetlana Orlova""",
     [("name", "Svetlana Orlova")]),
    ("hidden_fees", "Andrew Mills", "andrew.mills@example.com",
     "Service fee on bundle",
     """Hello,

Could you explain the "Skylark service fee" of £39 on my bundle (SKY-M1LL5Q)? It only appeared on the final step. On another site the same flights and hotel were £20 cheaper in total because there was no fee.

Andrew""",
     [("booking_ref", "SKY-M1LL5Q"), ("name", "Andrew")]),
    ("hidden_fees", "Deepa Menon", "deepa.menon@mail.test",
     "Charged extra at hotel for 'city tax' and 'service'",
     """Hi Skylark,

At the hotel in Rome we were asked to pay €7 per person per night city tax (fine, I know about that) but also a €15 per night "service charge" which the hotel said is in the contract with Skylark and should have been shown to us. It wasn't. That's €105 for the week.

Can you please refund it or tell me who to talk to?

Deepa Menon""",
     [("name", "Deepa Menon")]),
    ("hidden_fees", "Paul Gallagher", "paul.gallagher@example.org",
     "Insurance added without consent",
     """Hi,

Looking at my invoice I see £34.99 for travel insurance. I did not choose insurance. I think the box was pre-ticked. Please cancel and refund.

Invoice number 2026 0814 5512 0095 in case you need it.

Thanks,
Paul Gallagher""",
     [("not_pii_number", "2026 0814 5512 0095"), ("name", "Paul Gallagher")]),
    ("hidden_fees", "Ines Carvalho", "ines.carvalho@example.com",
     "Different price in app and at payment",
     """Olá,

The app showed 412 EUR for two people Lisbon - Funchal with hotel. At payment: 468 EUR. There was a line called "dynamic pricing adjustment". What is that? I felt cheated.

Ines""",
     [("name", "Ines")]),
    ("hidden_fees", "Victor Chen", "victor.chen@example.com",
     "Currency conversion",
     """Hi,

The price was shown in USD on your site. My card was charged in GBP at a rate much worse than the market rate, plus a "conversion service" line. In total about $38 more than the price shown. Please explain and refund the difference. Card used was 4012 8888 8888 1881.

Victor Chen""",
     [("card", "4012 8888 8888 1881"), ("name", "Victor Chen")]),
]
