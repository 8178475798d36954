"""Fictional demo cases, created through the service (so every rule applies).

``create_demo(store_or_service)`` fills an EMPTY database with eleven fictional cases spread over
all five steps: signals (own, other source, contradicting), consultations, care teams,
conversations, exceptions, the afwegingskader, decisions, running help with a review date, a
report with Veilig Thuis feedback, an overdue feedback deadline, a closed case and a case routed
away from the Meldcode (suspicion against staff); and one family: the reported pupil's
household, the professionals involved, a body map and an attachment, and his younger sister's
case linked to his. Dates are relative to today, written with a
back-dated clock, so the demo always looks current. All names are invented and marked "(fictief)".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .domain.dates import format_date
from .errors import MeldcodeError
from .i18n import _
from .clock import SettableClock
from .service import CaseService



DEMO_SCHOOL = "OBS De Fictieve Linde"


class DemoRefused(MeldcodeError):
    """The database already holds data; demo data is only written to an empty one."""


def _dob(today: date, years: int, extra_days: int = 40) -> str:
    """A date of birth that makes the pupil ``years`` old today (and during the demo period)."""
    try:
        d = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        d = today.replace(year=today.year - years, day=28)
    return (d - timedelta(days=extra_days + 100)).isoformat()


def _team(actor: str) -> list[dict]:
    return [
        {"role": "leerkracht", "name": "Juf Petra Hendriks (fictief)", "user": ""},
        {"role": "interne_vertrouwenspersoon", "name": "Karin Dekker (fictief)", "user": actor},
        {"role": "ondersteuningscoach", "name": "Mark Peters (fictief)", "user": ""},
        {"role": "schoolleider", "name": "Ingrid van Dam (fictief)", "user": ""},
    ]


class _Demo:
    def __init__(self, svc: CaseService, today: date):
        self.svc = svc
        self.today = today
        self.clock = SettableClock(datetime.now(timezone.utc))
        self._old_clock = svc.clock
        svc.clock = self.clock

    def day(self, days_ago: int) -> str:
        """Move the clock to ``days_ago`` days before today; returns that date (ISO)."""
        d = self.today - timedelta(days=days_ago)
        self.clock.set(d, hour=9 + (days_ago % 7))
        return d.isoformat()

    # shared snippets ---------------------------------------------------------------
    def open(self, ago: int, name: str, years: int, group: str, number: str, parents, **kw):
        self.day(ago)
        return self.svc.create_case(name, _dob(self.today, years), group, number, parents, **kw).case_id

    def step1(self, cid: str, ago: int, what: str, *, other: bool = False, contradicting: str | None = None,
              injury: bool = False):
        on = self.day(ago)
        self.svc.record_signal(cid, description=what, observed_on=on, observed_by="Juf Petra Hendriks (fictief)",
                               source="own", injury=injury)
        if other:
            self.svc.record_signal(cid, description="Een klasgenoot vertelt dat de leerling thuis bang is "
                                   "voor een huisgenoot.", observed_on=on, observed_by="Karin Dekker (fictief)",
                                   source="other", source_name="klasgenoot (naam in leerlingdossier)")
        if contradicting:
            self.svc.record_signal(cid, description=contradicting, observed_on=on,
                                   observed_by="Juf Petra Hendriks (fictief)", source="own", contradicting=True)
        self.svc.complete_step(cid, 1, "Signalen vastgelegd, ook wat het vermoeden weerspreekt.")

    def step2(self, cid: str, ago: int, *, vt_advice: bool = False):
        on = self.day(ago)
        self.svc.record_consultation(cid, kind="colleague", with_whom="Karin Dekker (fictief), IVP", on=on,
                                     question="Hoe duiden we deze signalen?",
                                     advice="Signalen zijn zorgelijk; zorgteam samenstellen en gesprek voorbereiden.")
        if vt_advice:
            self.svc.record_consultation(cid, kind="veilig_thuis_advice", with_whom="Veilig Thuis (adviesgesprek)",
                                         on=on, anonymous=True,
                                         question="Anoniem: welke stappen raden jullie aan?",
                                         advice="Gesprek met ouders voeren, signalen goed blijven vastleggen.")
        self.svc.set_care_team(cid, _team(self.svc.actor))
        self.svc.complete_step(cid, 2, "Collegiaal overlegd; zorgteam samengesteld.")

    def talk(self, cid: str, ago: int, participants=("pupil", "parents"), *, concern_removed=False,
             informed=True, summary="Doel uitgelegd, feiten besproken, reactie gevraagd, daarna geduid."):
        on = self.day(ago)
        self.svc.record_conversation(cid, on=on, participants=list(participants), purpose_explained=True,
                                     facts_presented=True, reaction_invited=True,
                                     interpretation_after_reaction=True,
                                     parents_informed_beforehand=informed if "parents" not in participants else None,
                                     summary=summary, outcome="Zorgen blijven" if not concern_removed
                                     else "Zorg weggenomen", concern_removed=concern_removed)

    def step3(self, cid: str, ago: int):
        self.talk(cid, ago)
        self.svc.complete_step(cid, 3, "Gesprek met leerling en ouders gevoerd.")

    def step4(self, cid: str, ago: int, q2: str = "no"):
        self.day(ago)
        self.svc.answer_weighing(cid, 1, "yes", "Signalen en gesprek wijzen op een vermoeden.")
        self.svc.answer_weighing(cid, 2, q2, "Gewogen met het zorgteam: aard en ernst besproken.")
        if q2 == "doubt":
            self.svc.record_consultation(cid, kind="veilig_thuis_advice", with_whom="Veilig Thuis (adviesgesprek)",
                                         on=self.day(ago), anonymous=True, question="Anoniem: twijfel over veiligheid.",
                                         advice="Melden.")
        self.svc.complete_step(cid, 4, "Gewogen met het afwegingskader.")

    def decide(self, cid: str, **payload):
        """The zorgteam decides (protocol stap 5): the IVP, the ondersteuningscoach and the
        schoolleider of the demo's team are named with their roles."""
        makers = [{"name": m["name"], "role": m["role"]} for m in _team(self.svc.actor)
                  if m["role"] != "leerkracht"]
        return self.svc.record(cid, "decision_recorded", {**payload, "decided_by": makers})

    def help(self, cid: str, ago: int, review_in: int, *, with_vt: bool = False):
        self.day(ago)
        self.svc.answer_weighing(cid, 3, "yes", "School en wijkteam kunnen hulp organiseren.", with_vt)
        self.svc.answer_weighing(cid, 4, "yes", "Ouders stemmen in en werken mee.", with_vt)
        self.decide(cid, report_needed=with_vt, help_possible=True,
                    reason="Hulp is mogelijk en wordt aanvaard.")
        review_on = (self.today - timedelta(days=ago) + timedelta(days=review_in)).isoformat()
        self.svc.plan_help(cid, description="Gezinscoach van het wijkteam (fictief) en wekelijks gesprek met IVP.",
                           agreements="Ouders nemen deel aan opvoedondersteuning; school meldt nieuwe signalen.",
                           roles="IVP volgt de leerling; wijkteam begeleidt het gezin.",
                           case_manager="Karin Dekker (fictief)", review_on=review_on,
                           results_expected="Geen nieuwe signalen; leerling komt op tijd en verzorgd op school.")

    def family(self, cid: str, ago: int) -> None:
        """The whole family of case 6 — household, professionals involved, a body map
        on the signal, an attachment (the sister's own case follows in ``sister``)."""
        s = self.svc
        on = self.day(ago)
        signal = s.get_state(cid).signals[0].seq
        for region, what in (("upper_back", "Drie striemen, rood, in een rij"),
                             ("lower_back", "Eén striem, blauwrood")):
            s.record(cid, "body_mark_recorded", {
                "signal_seq": signal, "region": region, "what": "bruise", "size": "ca. 10 cm",
                "colour": "rood tot blauw", "observed_on": on,
                "observed_by": "Juf Petra Hendriks (fictief)", "note": what})
        s.add_attachment(cid, ("Aantekening van juf Petra (fictief), " + format_date(on) + ":\n"
                               "Sem liet bij het omkleden voor gym striemen op zijn rug zien.\n"
                               "Hij zei: 'papa doet dat met zijn riem'.\n").encode("utf-8"),
                         "Aantekening gymles (fictief)", filename="aantekening-gymles.txt")
        s.add_household_member(cid, name="Ouder de Boer (fictief)", relation="parent",
                               relation_detail="moeder", gezag="yes", date_of_birth="1988-04-12",
                               address="Lindelaan 1, Fictiefdorp", phone="06-00000001",
                               language="Nederlands")
        s.add_household_member(cid, name="Partner de Boer (fictief)", relation="carer",
                               relation_detail="stiefvader", gezag="no", address="Lindelaan 1, Fictiefdorp",
                               language="Pools", interpreter_needed=True)
        s.add_professional(cid, name="Sem Bakker (fictief)", organisation="Wijkteam Fictiefdorp",
                           role="gezinscoach", contact="06-00000002",
                           since=(self.today - timedelta(days=ago + 120)).isoformat())
        s.add_professional(cid, name="Dokter Yilmaz (fictief)", organisation="Huisartsenpraktijk De Linde",
                           role="huisarts", contact="0123-000003")

    def sister(self, cid: str, ago: int) -> str:
        """The younger sister of case 6's pupil, at the same school: her own case, linked both
        ways, with a reference to her brother's signal ('geldt dit ook voor …?')."""
        s = self.svc
        sister = self.open(ago, "Lotte de Boer (fictief)", 7, "3a", "F-1011",
                           [("Ouder de Boer (fictief)", "moeder")])
        on = self.day(ago)
        signal = s.get_state(cid).signals[0].seq
        s.add_household_member(cid, name="Lotte de Boer (fictief)", relation="sibling",
                               date_of_birth=_dob(self.today, 7))
        s.add_household_member(sister, name="Sem de Boer (fictief)", relation="sibling",
                               date_of_birth=_dob(self.today, 10))
        s.link_cases(cid, sister, "sibling")
        s.refer_to_linked(sister, cid, signal, "Geldt ook voor Lotte: zij woont in hetzelfde gezin "
                                               "en vertelt dat ze bang is als papa boos wordt.")
        s.record_signal(sister, description="Vertelt dat ze 's avonds onder de dekens kruipt als er thuis "
                        "geschreeuwd wordt.", observed_on=on, observed_by="Meester Joris (fictief)", source="own")
        return sister

    def run(self) -> list[str]:
        s, a = self.svc, self.svc.actor
        ids = []
        # 1. Step 1: a first signal, nothing else yet.
        cid = self.open(3, "Sanne de Vries (fictief)", 7, "3b", "F-1001",
                        [("Ouder de Vries (fictief)", "moeder")])
        s.record_signal(cid, description="Komt drie dagen achter elkaar zonder ontbijt en in dezelfde kleren.",
                        observed_on=self.day(2), observed_by="Juf Petra Hendriks (fictief)", source="own")
        ids.append(cid)

        # 2. Step 2: signals done, one colleague consulted, care team still incomplete.
        cid = self.open(12, "Daan Jansen (fictief)", 9, "5a", "F-1002", [("Ouder Jansen (fictief)", "vader")])
        self.step1(cid, 11, "Blauwe plekken op beide bovenarmen; zegt dat hij van de fiets viel.",
                   other=True, contradicting="Gymleraar zag hem vorige week echt van de fiets vallen.", injury=True)
        s.record_consultation(cid, kind="colleague", with_whom="Karin Dekker (fictief), IVP", on=self.day(8),
                              question="Passen deze plekken bij een val?", advice="Vraag advies over het letsel.")
        s.set_care_team(cid, _team(a)[:2])
        ids.append(cid)

        # 3. Step 3: a pupil of 13, talked with alone without telling the parents first (exception).
        cid = self.open(20, "Noor Bakker (fictief)", 13, "groep 2 vo", "F-1003",
                        [("Ouder Bakker (fictief)", "moeder"), ("Ouder Bakker-Smit (fictief)", "stiefvader")])
        self.step1(cid, 19, "Vertelt dat ze 's avonds niet naar huis durft als haar stiefvader er is.", other=True)
        self.step2(cid, 16, vt_advice=True)
        s.record_exception(cid, "pupil_without_informing_parents", "safety",
                           "Leerling vertelt over dreiging thuis; ouders vooraf informeren kan haar in gevaar brengen.")
        self.talk(cid, 14, ("pupil",), informed=False)
        ids.append(cid)

        # 4. Step 4: question 1 answered, question 2 still open.
        cid = self.open(25, "Milan Visser (fictief)", 11, "8b", "F-1004", [("Ouder Visser (fictief)", "moeder")])
        self.step1(cid, 24, "Is vaak afwezig op maandag; vertelt over harde ruzies thuis.",
                   contradicting="Moeder belt de afwezigheid altijd netjes door.")
        self.step2(cid, 22)
        self.step3(cid, 18)
        self.day(15)
        s.answer_weighing(cid, 1, "yes", "De signalen en het gesprek wijzen op getuige zijn van geweld.")
        ids.append(cid)

        # 5. Step 5: help running, review date ahead.
        cid = self.open(45, "Fleur Smit (fictief)", 8, "4a", "F-1005", [("Ouder Smit (fictief)", "vader")])
        self.step1(cid, 44, "Ziet er regelmatig onverzorgd uit; heeft vaak geen lunch mee.")
        self.step2(cid, 40)
        self.step3(cid, 35)
        self.step4(cid, 30, "no")
        self.help(cid, 28, review_in=42)
        s.complete_step(cid, 5, "Hulp georganiseerd; evaluatie gepland.")
        ids.append(cid)

        # 6. Reported (age 10: contact with the parents), Veilig Thuis fed back.
        cid = self.open(60, "Sem de Boer (fictief)", 10, "6b", "F-1006", [("Ouder de Boer (fictief)", "moeder")])
        self.step1(cid, 59, "Vertelt dat hij thuis met een riem wordt geslagen; striemen op de rug gezien.",
                   injury=True)
        self.family(cid, 59)
        self.step2(cid, 58, vt_advice=True)
        s.record_consultation(cid, kind="vertrouwensarts", with_whom="Vertrouwensarts Veilig Thuis",
                              on=self.day(58), anonymous=True, question="Anoniem: passen deze striemen bij slaan?",
                              advice="Ja; melden.")
        self.step3(cid, 57)
        self.step4(cid, 56, "yes")
        on = self.day(55)
        s.record_pre_report_contact(cid, on=on, with_=["parents"],
                                    explained="Uitgelegd dat de school meldt, waarom en wat er gaat gebeuren.",
                                    reaction="Moeder is boos maar begrijpt het.", objections="Bang voor gevolgen.",
                                    weighing="Bescherming van de leerling weegt zwaarder.")
        s.record_report(cid, on=on, office="Veilig Thuis Regio Fictief", reference="VT-DEMO-0006",
                        summary="Eigen waarneming striemen; verklaring van de leerling.",
                        reporter_disclosed_to_family=True)
        s.answer_weighing(cid, 3, "yes", "Samen met Veilig Thuis: hulp via wijkteam mogelijk.", True)
        s.answer_weighing(cid, 4, "yes", "Samen met Veilig Thuis: ouders werken mee.", True)
        self.decide(cid, report_needed=True, help_possible=True,
                    reason="Gemeld vanwege structurele onveiligheid; daarnaast hulp via wijkteam.")
        review_on = (self.today + timedelta(days=30)).isoformat()
        s.plan_help(cid, description="Wijkteam begeleidt het gezin; school volgt de leerling.",
                    agreements="Wekelijks contact IVP met leerling.", roles="IVP volgt; wijkteam begeleidt.",
                    case_manager="Karin Dekker (fictief)", review_on=review_on,
                    results_expected="Geen nieuwe signalen van slaan.")
        s.complete_step(cid, 5, "Gemeld en hulp georganiseerd.")
        s.record_vt_feedback(cid, on=self.day(50), outcome="Veilig Thuis start onderzoek.",
                             notes="Contactpersoon Veilig Thuis bekend bij IVP.")
        ids.append(cid)

        # 7. Reported (age 17: contact with the pupil), feedback overdue.
        cid = self.open(30, "Julia Mulder (fictief)", 17, "5 havo", "F-1007", [("Ouder Mulder (fictief)", "vader")])
        self.step1(cid, 29, "Vertelt dat haar vader haar opsluit en haar telefoon afpakt.", other=True)
        self.step2(cid, 27)
        self.step3(cid, 25)
        self.step4(cid, 22, "doubt")
        on = self.day(20)
        s.record_pre_report_contact(cid, on=on, with_=["pupil"],
                                    explained="Uitgelegd wat een melding betekent.",
                                    reaction="Wil liever niet dat vader weet wie meldt.")
        s.record(cid, "exception_recorded", {
            "exception": "reporter_not_disclosed", "ground": "safety",
            "reason": "Leerling vreest represailles als vader hoort dat de school heeft gemeld.",
            "vt_agreed_by": "Medewerker Veilig Thuis Regio Fictief", "vt_agreed_on": on})
        s.record_report(cid, on=on, office="Veilig Thuis Regio Fictief", reference="VT-DEMO-0007",
                        summary="Eigen waarneming en verklaring leerling.", reporter_disclosed_to_family=False)
        ids.append(cid)

        # 8. Closed: the conversation took the worry away.
        cid = self.open(40, "Lucas de Groot (fictief)", 6, "2a", "F-1008", [("Ouder de Groot (fictief)", "moeder")])
        self.step1(cid, 39, "Is stil en teruggetrokken sinds de zomervakantie.")
        self.step2(cid, 37)
        self.talk(cid, 35, concern_removed=True,
                  summary="Ouders vertellen over het overlijden van opa; de leerling rouwt.")
        self.day(34)
        s.close_case(cid, "concern_removed", "Het gesprek verklaart de signalen; geen vermoeden meer.")
        ids.append(cid)

        # 9. Suspicion against a member of staff: routed away from the Meldcode.
        cid = self.open(9, "Emma Bos (fictief)", 12, "8a", "F-1009", [("Ouder Bos (fictief)", "moeder")],
                        note="Vermoeden richt zich tegen een medewerker.", staff_suspicion=True)
        s.route_staff_suspicion(cid, ["school_board", "vertrouwensinspecteur"],
                                "Vermoeden tegen een medewerker; bestuur ingelicht, dat overlegt met de "
                                "vertrouwensinspecteur.", on=self.day(8))
        s.agree_follow_up(cid, "Bestuur informeert de school over de uitkomst.",
                          (self.today + timedelta(days=10)).isoformat(), "Ingrid van Dam (fictief)")
        ids.append(cid)

        # 10. Help reviewed, the violence goes on: report after all; an overdue follow-up.
        cid = self.open(90, "Finn Vos (fictief)", 14, "groep 3 vo", "F-1010", [("Ouder Vos (fictief)", "moeder")])
        self.step1(cid, 89, "Vertelt over harde ruzies en duwen tussen ouders; slaapt slecht.")
        self.step2(cid, 87)
        self.step3(cid, 85)
        self.step4(cid, 80, "no")
        self.help(cid, 78, review_in=40)
        s.complete_step(cid, 5, "Hulp georganiseerd.")
        self.day(38)
        s.review_help(cid, on=self.day(38), results_reached=False, violence_continues=True,
                      notes="Leerling vertelt dat de ruzies doorgaan; moeder bevestigt.", next_review_on="")
        s.agree_follow_up(cid, "Zorgteam bespreekt het besluit om alsnog te melden.",
                          (self.today - timedelta(days=30)).isoformat(), "Karin Dekker (fictief)")
        ids.append(cid)

        # 11. Case 6's younger sister: the family.
        ids.append(self.sister(ids[5], 57))
        return ids

    def restore(self) -> None:
        self.svc.clock = self._old_clock


def create_demo(store_or_service, actor: str | None = None, today: date | None = None) -> list[str]:
    """Fill an EMPTY database with fictional demo cases. Returns the case ids.

    Refuses (:class:`DemoRefused`) a database that already holds events."""
    if isinstance(store_or_service, CaseService):
        svc = store_or_service
    else:
        svc = CaseService(store_or_service, actor=actor or "demo")
    if not svc.store.is_empty():
        raise DemoRefused(_("De database is niet leeg; demogegevens worden alleen in een lege database "
                            "gezet. Kies een nieuw bestand met --db."))
    demo = _Demo(svc, today or datetime.now(timezone.utc).date())
    try:
        return demo.run()
    finally:
        demo.restore()
