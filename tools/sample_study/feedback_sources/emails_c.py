"""Support emails, part C (app/login, loyalty, booking changes, hotel mismatches).

Each item: (theme, customer, customer_email, subject, body, pii); see emails_a.
"""

ITEMS = [
    # ---------------------------------------------------------------- app_login_crash
    ("app_login_crash", "Natalie Brooks", "natalie.brooks@example.com",
     "Can't log in - verification code",
     """Hi,

For two days I've not been able to log into the app. I enter my email, it says a code has been sent, the code never arrives (checked spam, waited, requested again many times). I have a flight on Friday and my boarding pass is in the app.

I'm on an iPhone 12. Could you reset something on your side?

Natalie Brooks""",
     [("name", "Natalie Brooks")]),
    ("app_login_crash", "Sunil Varma", "sunil.varma@mail.test",
     "App crashing on Android",
     """Dear support,

Since the update this week the Skylark app crashes immediately when I open a booking. Device: Samsung Galaxy S23, Android 14. I've cleared data and reinstalled. I need to access my hotel voucher for SKY-V9SN1C tomorrow.

Regards,
Sunil""",
     [("booking_ref", "SKY-V9SN1C"), ("name", "Sunil")]),
    ("app_login_crash", "Kelly Morgan", "kelly.morgan@example.org",
     "Logged out during booking - did it go through?",
     """Hi there,

I was booking an extra room on my existing hotel booking and the app logged me out right after I pressed pay. I logged back in and there's no second room, but I'm not sure if I've been charged yet as it's pending on my card. Really frustrating, this is the third time the app has logged me out mid-booking.

Kelly""",
     [("name", "Kelly")]),
    ("app_login_crash", "Hassan Jafari", "hassan.jafari@example.com",
     "Account locked",
     """Hello,

My account got locked after the app kept rejecting my password (which is correct - I use a password manager). The reset link says "expired" even when I click it immediately. I can't see my trips or check in.

Please unlock my account. My phone is +1 (646) 555-0144 if you need to verify.

Hassan Jafari""",
     [("phone", "+1 (646) 555-0144"), ("name", "Hassan Jafari")]),

    # ---------------------------------------------------------------- loyalty_points_missing
    ("loyalty_points_missing", "Victoria Hale", "victoria.hale@example.com",
     "Missing Skylark Miles - 3 flights",
     """Dear Skylark Miles team,

The following flights have not been credited to my account:
- SKY-VH2K8P London - New York, 3 March
- SKY-VH2K8P New York - London, 10 March
- SKY-VH7L1D London - Geneva, 22 April

I've submitted the missing miles form twice and received an automatic reply each time. Nothing else. That's roughly 9,000 miles.

Kind regards,
Victoria Hale""",
     [("booking_ref", "SKY-VH2K8P"), ("booking_ref", "SKY-VH7L1D"), ("name", "Victoria Hale")]),
    ("loyalty_points_missing", "Desmond Okoye", "desmond.okoye@mail.test",
     "Tier downgraded in error",
     """Hi,

I received an email on Monday congratulating me on keeping Gold status for another year. On Wednesday the app showed me as Silver. I've got 41 qualifying nights this year, the threshold is 30.

Could you correct this? I have a trip next week and the Gold benefits matter for it.

Desmond Okoye""",
     [("name", "Desmond Okoye")]),
    ("loyalty_points_missing", "Ruth Kaplan", "ruth.kaplan@example.com",
     "Miles expired - no warning",
     """Hello,

I just discovered that 18,450 Skylark Miles have expired from my account. I did not receive any warning email. I have been a member for 9 years and I booked a hotel with you in February, which I thought reset the expiry clock.

I'd like them reinstated, please.

Ruth Kaplan""",
     [("name", "Ruth Kaplan")]),
    ("loyalty_points_missing", "Benjamin Ford", "ben.ford@example.org",
     "Re: Your missing miles claim",
     """Hi Imran,

Thanks, but the hotel folio you're asking for was never given to me - I checked out via the app's express check-out. The booking was made through Skylark so surely you have the record?

Ben

> On 5 Aug 2026, Skylark Miles wrote:
> Dear Benjamin, to process your claim for your stay in Singapore we need a copy of the hotel folio showing your room rate.
> Regards, Imran
> Skylark Miles Service Centre""",
     [("name", "Imran"), ("name", "Ben"), ("name", "Benjamin")]),
    ("loyalty_points_missing", "Monique Dubois", "monique.dubois@example.com",
     "Points for my husband's booking",
     """Bonjour,

My husband Pierre and I travelled together on the same booking but the miles only went to my account. His membership number was in the booking. Can you credit his share to his account?

Merci,
Monique Dubois""",
     [("name", "Pierre"), ("name", "Monique Dubois")]),
    ("loyalty_points_missing", "Craig Sutherland", "craig.sutherland@mail.test",
     "Platinum not recognised",
     """Hi,

I reached Platinum in June (email attached). At the airport desk in Glasgow the agent said my status on the booking was "Silver" and I was refused priority boarding and the extra bag. Same thing at the hotel.

Please fix my tier on bookings SKY-CS8P2Q and any future ones.

Craig Sutherland""",
     [("booking_ref", "SKY-CS8P2Q"), ("name", "Craig Sutherland")]),
    ("loyalty_points_missing", "Akua Mensah", "akua.mensah@example.com",
     "Bonus miles not received",
     """Hello,

I booked a flight during the "triple miles" promotion in May specifically to get the bonus. I received the standard miles only (1,200 instead of 3,600). The terms say bonus miles post within 30 days. It's been 80.

Thank you,
Akua Mensah""",
     [("name", "Akua Mensah")]),
    ("loyalty_points_missing", "Joel Martin", "joel.martin@example.com",
     "Balance shows zero",
     """Hey,

My Skylark Miles balance says 0 in the app and on the website. Yesterday it was 26,700. There's no redemption in the history. Has my account been hacked? Please check asap.

Joel""",
     [("name", "Joel")]),
    ("loyalty_points_missing", "Sinead Murphy", "sinead.murphy@example.org",
     "Miles not added for hotel stay",
     """Hi team,

I stayed 4 nights at a Skylark partner hotel in Cork in July. I gave my membership number at check-in and it's on the booking but nothing has appeared. The hotel says it's a Skylark issue.

Sinead""",
     [("name", "Sinead")]),

    # ---------------------------------------------------------------- booking_change_hard
    ("booking_change_hard", "Alan Peters", "alan.peters@example.com",
     "Need to change the date of my flight",
     """Hello,

I need to move my return flight from 14 to 16 September (SKY-AP4D7T). The website doesn't offer the option, the app says "contact us", and the phone line hasn't been answered in 3 attempts.

I'm happy to pay the difference, I just need someone to do it.

Alan Peters""",
     [("booking_ref", "SKY-AP4D7T"), ("name", "Alan Peters")]),
    ("booking_change_hard", "Lin Zhou", "lin.zhou@mail.test",
     "Name correction",
     """Dear Skylark,

My passport name is ZHOU LIN but I booked the ticket as LIN ZHOU (first name and family name reversed). The airline says it may be a problem. Your website does not allow me to correct it. Can you correct it for me without fee? It is the same person.

Thank you,
Lin Zhou""",
     [("name", "Lin Zhou"), ("name", "ZHOU LIN"), ("name", "LIN ZHOU")]),
    ("booking_change_hard", "Rachel Adams", "rachel.adams@example.com",
     "Change fee for moving a hotel night",
     """Hi,

I wanted to move my hotel stay in Paris by one day (arriving the 5th instead of the 4th). Same hotel, same room, same price per night. Your agent said there is a £40 amendment fee and I'd pay for the original night anyway. That makes no sense to me - the hotel itself told me they'd do it for free if Skylark allowed it.

Rachel""",
     [("name", "Rachel")]),
    ("booking_change_hard", "Kwabena Owusu", "kwabena.owusu@example.com",
     "Add infant to booking",
     """Hello,

We need to add our baby (6 months) to our flight to Kumasi, booking SKY-KO6B2F. There's no option online. The phone line was closed on Sunday. Please advise how we can add her and what it costs.

Kwabena Owusu
+44 20 7946 0321""",
     [("booking_ref", "SKY-KO6B2F"), ("name", "Kwabena Owusu"), ("phone", "+44 20 7946 0321")]),
    ("booking_change_hard", "Helga Sørensen", "helga.sorensen@example.org",
     "Re: Date change",
     """Hello Yvonne,

You said the change could only be done as "cancel and rebook" and that I'd lose the original fare. That means I'd pay €310 more for the same route one week later. Is there really no way to just change the date?

Helga

> On 11 Aug 2026, Skylark Care wrote:
> Dear Helga, unfortunately your fare does not allow direct changes. You may cancel your booking and make a new booking at the current fare.
> Best wishes, Yvonne | Skylark Care""",
     [("name", "Yvonne"), ("name", "Helga")]),
    ("booking_change_hard", "Trevor Nash", "trevor.nash@mail.test",
     "Website error when changing booking",
     """Hi,

I tried to change my flight online three times. Each time I get to the payment of the change fee and it shows "Error 500". I've tried different browsers and cards. My old flight is still there, the new one isn't. Can someone please complete the change?

Trevor Nash""",
     [("name", "Trevor Nash")]),
    ("booking_change_hard", "Olivia Grant", "olivia.grant@example.com",
     "Swap passenger",
     """Hi,

My colleague can no longer travel to the conference in Vienna. Can I transfer her ticket to another colleague? Your FAQ says name changes are "not permitted" but other agencies allow it for a fee. We'd happily pay a fee rather than lose the whole ticket.

Thanks,
Olivia Grant
Office manager""",
     [("name", "Olivia Grant")]),
    ("booking_change_hard", "Mehmet Aydın", "mehmet.aydin@example.com",
     "Change departure airport",
     """Hello,

I want to depart from Stansted instead of Luton, same day, same airline. The app only shows "Cancel booking". When I called, I was told it counts as a new booking. Why is that so hard?

Mehmet""",
     [("name", "Mehmet")]),
    ("booking_change_hard", "Jennifer Cole", "jennifer.cole@example.org",
     "Shorten bundle",
     """Dear Skylark,

Due to a family emergency I need to come home 3 days early from our Orlando bundle. I was told the hotel nights can't be removed from a bundle and the new flight is a completely separate purchase at full price. Is there really no flexibility for an emergency?

Jennifer Cole""",
     [("name", "Jennifer Cole")]),

    # ---------------------------------------------------------------- hotel_reservation_mismatch
    ("hotel_reservation_mismatch", "David Thompson", "david.thompson@example.com",
     "Hotel had no reservation",
     """To Skylark Travel,

We arrived at our hotel in Seville at 9pm on Friday (booking SKY-DT9H3W, confirmation attached). The receptionist, Mrs Ortega, told us there was no booking under our name and the hotel was full. We had to find another hotel at 10pm and paid €240 for the night.

I expect a refund for the night we paid twice for, plus the taxi.

David Thompson""",
     [("booking_ref", "SKY-DT9H3W"), ("name", "Mrs Ortega"), ("name", "David Thompson")]),
    ("hotel_reservation_mismatch", "Laura Kim", "laura.kim@mail.test",
     "Wrong room type at hotel",
     """Hi,

I booked a junior suite at the hotel in Busan for our honeymoon. At check-in they gave us a standard double and said Skylark had booked a standard double. The confirmation email clearly says Junior Suite. They wanted to charge an upgrade. Please sort this out with the hotel.

Laura Kim""",
     [("name", "Laura Kim")]),
    ("hotel_reservation_mismatch", "Frank Müller", "frank.mueller@example.com",
     "Reservation for wrong dates",
     """Hello,

The hotel in Munich had our reservation starting 3 September, but we booked 3 August (see confirmation). It was the height of summer and they had no rooms. We stayed elsewhere at a much higher price.

Frank Müller""",
     [("name", "Frank Müller")]),
    ("hotel_reservation_mismatch", "Meera Desai", "meera.desai@example.com",
     "Hotel could not find booking - paid again",
     """Hi Skylark team,

At the hotel in Jaipur the front desk said our booking had been cancelled by the agency. We never cancelled. We paid again at the desk (INR 14,800) so we'd have somewhere to sleep. Please refund that amount, receipt attached.

Thanks,
Meera Desai""",
     [("name", "Meera Desai")]),
    ("hotel_reservation_mismatch", "Samantha Reed", "samantha.reed@example.org",
     "Accessible room",
     """Dear Sir/Madam,

I booked an accessible room with a roll-in shower at your partner hotel in Dublin because my husband is a wheelchair user. At check-in the hotel had a standard room in the booking and no accessible rooms left. He could not use the bathroom for three days.

This is not acceptable and I want a full explanation.

Samantha Reed""",
     [("name", "Samantha Reed")]),
]
