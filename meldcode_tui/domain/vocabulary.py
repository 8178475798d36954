"""The words for the app's codes and payload fields, in one place.

A stored code is shown in three places, and the wording differs there on purpose:

- a **record** (the record view, messages, the CLI, exports): what it means, in a phrase
  ("het gezin hoort niet wie heeft gemeld");
- a **form option** (a select or tick list): what you choose, capitalised, sometimes saying more
  or less ("Melder niet bekendmaken aan het gezin"); absent where it is the record's wording
  with a capital;
- an event kind's **title** (the record's name in exports and the journal: "Signaal vastgelegd"),
  its **screen** word (the chronology's narrow "Soort" column: "Signaal") and its **noun** (one
  record named in a place: "signaal #12").

Before, the kinds had four tables (the TUI, the exports, the domain's titles, the nouns) and the
codes three (the domain, the exports, the forms), which had drifted: the exports said "Casus
ingezien" where the journal said "Casus bekeken", and kinds missing from the TUI's table (the
acute report, the staff route's records) showed as their English code in the chronology. Each
word is written once, here; ``domain.payload``, ``ui.labels`` and ``exports.common`` read it.
The payload fields' Dutch names (``FIELD_LABELS``, ``field_name``) are here for the same reason:
a message, the record view, the correction form and a document name a field alike.
Strings are marked with ``N_`` and translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _
from . import body_map as _body_map


@dataclass(frozen=True)
class KindWords:
    title: str            # the record's name: exports, the journal, `case kinds`
    screen: str = ""      # the chronology's "Soort" column ("" = the title)
    noun: str = ""        # one record in a place, "signaal #12" ("" = the code)


@dataclass(frozen=True)
class CodeWords:
    record: str           # a stored value in a record, a message, an export
    option: str = ""      # as a form offers it ("" = the record's wording, capitalised)


KIND_WORDS: dict[str, KindWords] = {
    "case_opened": KindWords(N_("Casus geopend"), noun=N_("casus")),
    "case_viewed": KindWords(N_("Casus bekeken")),
    "signal_recorded": KindWords(N_("Signaal vastgelegd"), screen=N_("Signaal"), noun=N_("signaal")),
    "consultation_recorded": KindWords(N_("Consultatie vastgelegd"), screen=N_("Consultatie"), noun=N_("consultatie")),
    "care_team_set": KindWords(N_("Zorgteam samengesteld"), screen=N_("Zorgteam"), noun=N_("zorgteam")),
    "conversation_recorded": KindWords(N_("Gesprek vastgelegd"), screen=N_("Gesprek"), noun=N_("gesprek")),
    "exception_recorded": KindWords(N_("Uitzondering vastgelegd"), screen=N_("Uitzondering"), noun=N_("uitzondering")),
    "step_completed": KindWords(N_("Stap afgerond"), noun=N_("stap")),
    "weighing_answered": KindWords(N_("Afwegingsvraag beantwoord"), screen=N_("Afwegingskader"), noun=N_("afweging")),
    "decision_recorded": KindWords(N_("Besluit vastgelegd"), screen=N_("Besluit"), noun=N_("besluit")),
    "help_planned": KindWords(N_("Hulp gepland"), noun=N_("hulpplan")),
    "help_reviewed": KindWords(N_("Hulp geëvalueerd"), noun=N_("evaluatie")),
    "pre_report_contact_recorded": KindWords(N_("Contact over de melding vastgelegd"), screen=N_("Contact vóór melding"), noun=N_("contact vooraf")),
    "report_made": KindWords(N_("Melding gedaan"), screen=N_("Melding"), noun=N_("melding")),
    "acute_report": KindWords(N_("Acute melding")),
    "vt_feedback_recorded": KindWords(N_("Terugkoppeling Veilig Thuis"), noun=N_("terugkoppeling")),
    "school_evaluation_recorded": KindWords(N_("Evaluatie van de school na de melding"), screen=N_("Evaluatie na melding")),
    "staff_route_recorded": KindWords(N_("Andere route: vastlegging")),
    "follow_up_agreed": KindWords(N_("Vervolgafspraak gemaakt"), screen=N_("Afspraak"), noun=N_("vervolgactie")),
    "follow_up_done": KindWords(N_("Vervolgafspraak afgerond"), screen=N_("Afspraak gedaan"), noun=N_("vervolgactie")),
    "staff_suspicion_routed": KindWords(N_("Doorverwezen (vermoeden tegen medewerker)"), screen=N_("Andere route (medewerker)"), noun=N_("doorgeleiding")),
    "record_corrected": KindWords(N_("Correctie"), noun=N_("correctie")),
    "case_closed": KindWords(N_("Casus gesloten"), noun=N_("afsluiting")),
    "case_reopened": KindWords(N_("Casus heropend"), noun=N_("heropening")),
    "case_exported": KindWords(N_("Casus geëxporteerd"), screen=N_("Geëxporteerd")),
    "case_imported": KindWords(N_("Casus geïmporteerd"), screen=N_("Geïmporteerd")),
    "household_member_added": KindWords(N_("Persoon in het huishouden"), screen=N_("Huishouden")),
    "household_member_left": KindWords(N_("Persoon niet meer in het huishouden"), screen=N_("Niet meer betrokken")),
    "professional_added": KindWords(N_("Betrokken hulpverlener"), screen=N_("Hulpverlener")),
    "professional_ended": KindWords(N_("Hulpverlener niet meer betrokken"), screen=N_("Niet meer betrokken")),
    "case_linked": KindWords(N_("Casus gekoppeld"), screen=N_("Gekoppeld")),
    "source_withheld": KindWords(N_("Bron niet genoemd in de melding"), screen=N_("Bron niet noemen")),
    "body_mark_recorded": KindWords(N_("Letsel op de poptekening"), screen=N_("Poptekening")),
    "reference_recorded": KindWords(N_("Verwijzing naar een gekoppelde casus"), screen=N_("Geldt ook hier")),
    "attachment_added": KindWords(N_("Bijlage toegevoegd"), screen=N_("Bijlage"), noun=N_("bijlage")),
    "attachment_fetched": KindWords(N_("Bijlage opgehaald")),
    "pupil_left": KindWords(N_("Leerling heeft de school verlaten"), screen=N_("Vertrek leerling")),
    "case_erased": KindWords(N_("Casus gewist")),
    "inzage_decided": KindWords(N_("Besluit over inzage"), screen=N_("Inzage")),
    "zienswijze_recorded": KindWords(N_("Zienswijze ouders")),
    "user_added": KindWords(N_("Gebruiker toegevoegd")),
    "user_disabled": KindWords(N_("Gebruiker uitgeschakeld")),
    "user_enabled": KindWords(N_("Gebruiker ingeschakeld")),
    "user_role_set": KindWords(N_("Rol gewijzigd")),
    "user_key_added": KindWords(N_("Sleutel toegevoegd")),
    "user_key_removed": KindWords(N_("Sleutel verwijderd")),
    "keys_written": KindWords(N_("authorized_keys geschreven")),
    "access_refused": KindWords(N_("Toegang geweigerd")),
    "concern_logged": KindWords(N_("Zorg gemeld door leerkracht")),
    "concern_taken": KindWords(N_("Zorgmelding opgepakt")),
    "concern_answered": KindWords(N_("Zorgmelding beantwoord")),
    "payload_erased": KindWords(N_("Inhoud gewist")),
    "notification_sent": KindWords(N_("Melding verstuurd")),
    "user_notify_set": KindWords(N_("Meldingskanaal ingesteld")),
    "figures_viewed": KindWords(N_("Cijfers bekeken")),
    "training_recorded": KindWords(N_("Meldcodescholing vastgelegd")),
    "meldcode_evaluation_recorded": KindWords(N_("Jaarevaluatie Meldcode")),
}

CODE_WORDS: dict[str, CodeWords] = {
    "own": CodeWords(N_("eigen waarneming")),
    "other": CodeWords(N_("andere bron"), option=N_("Anders")),
    "colleague": CodeWords(N_("deskundige collega")),
    "zorgteam": CodeWords(N_("zorgteam")),
    "veilig_thuis_advice": CodeWords(N_("advies Veilig Thuis (anoniem)"), option=N_("Veilig Thuis (advies, anoniem)")),
    "vertrouwensarts": CodeWords(N_("vertrouwensarts")),
    "forensisch_arts": CodeWords(N_("forensisch arts")),
    "leerkracht": CodeWords(N_("leerkracht")),
    "interne_vertrouwenspersoon": CodeWords(N_("interne vertrouwenspersoon")),
    "ondersteuningscoach": CodeWords(N_("ondersteuningscoach")),
    "schoolleider": CodeWords(N_("schoolleider")),
    "aandachtsfunctionaris": CodeWords(N_("aandachtsfunctionaris")),
    "coordinator": CodeWords(N_("coördinator")),
    "zorgcoordinator": CodeWords(N_("zorgcoördinator")),
    "pupil": CodeWords(N_("leerling")),
    "parents": CodeWords(N_("ouders")),
    "no_conversation_pupil": CodeWords(N_("geen gesprek met de leerling")),
    "pupil_without_informing_parents": CodeWords(N_("gesprek met de leerling zonder de ouders vooraf te informeren"), option=N_("Leerling spreken zonder ouders vooraf te informeren")),
    "no_conversation_parents": CodeWords(N_("geen gesprek met de ouders")),
    "report_without_contact": CodeWords(N_("melden zonder contact met leerling of ouders"), option=N_("Melden zonder contact vooraf")),
    "reporter_not_disclosed": CodeWords(N_("het gezin hoort niet wie heeft gemeld"), option=N_("Melder niet bekendmaken aan het gezin")),
    "safety": CodeWords(N_("veiligheid"), option=N_("Veiligheid van iemand in gevaar")),
    "out_of_sight": CodeWords(N_("leerling raakt uit zicht"), option=N_("Leerling verliest vertrouwen / raakt uit beeld")),
    "age": CodeWords(N_("jonge leeftijd"), option=N_("Leeftijd van de leerling")),
    "child_safety": CodeWords(N_("veiligheid van het kind")),
    "reporter_safety": CodeWords(N_("veiligheid van de melder of anderen")),
    "trust_relationship": CodeWords(N_("de vertrouwensrelatie met het gezin breekt (waarschijnlijk)"), option=N_("Vertrouwensrelatie met het gezin breekt (waarschijnlijk)")),
    "yes": CodeWords(N_("ja")),
    "no": CodeWords(N_("nee")),
    "doubt": CodeWords(N_("twijfel")),
    "school_board": CodeWords(N_("schoolbestuur")),
    "vertrouwensinspecteur": CodeWords(N_("vertrouwensinspecteur")),
    "police": CodeWords(N_("politie")),
    "concern_removed": CodeWords(N_("zorg weggenomen")),
    "veilig_thuis_phone": CodeWords(N_("Veilig Thuis (telefonisch, 0800-2000)")),
    "emergency_112": CodeWords(N_("112")),
    "huisarts": CodeWords(N_("huisarts")),
    "female": CodeWords(N_("meisje / vrouw")),
    "male": CodeWords(N_("jongen / man")),
    "investigation": CodeWords(N_("onderzoek door Veilig Thuis")),
    "child_protection_board": CodeWords(N_("verzoek om onderzoek door de Raad voor de Kinderbescherming")),
    "conditions_follow_up": CodeWords(N_("voorwaarden en vervolg (Veilig Thuis blijft betrokken)")),
    "local_team": CodeWords(N_("overgedragen aan het lokale team / wijkteam")),
    "current_care": CodeWords(N_("overgedragen aan betrokken hulpverlening")),
    "advice_only": CodeWords(N_("melding omgezet in een advies")),
    "no_follow_up": CodeWords(N_("geen vervolg: einde bemoeienis Veilig Thuis")),
    "no_suspicion": CodeWords(N_("geen vermoeden")),
    "help_succeeded": CodeWords(N_("hulp heeft resultaat")),
    "reported": CodeWords(N_("gemeld, Veilig Thuis heeft overgenomen")),
    "staff_route": CodeWords(N_("andere route (medewerker)")),
    "moved_away": CodeWords(N_("verhuisd / naar een andere school")),
    "facts": CodeWords(N_("feiten")),
    "conversation": CodeWords(N_("gesprek")),
    "inspector_advice": CodeWords(N_("advies van de vertrouwensinspecteur")),
    "board_decision": CodeWords(N_("besluit van het schoolbestuur")),
    "outcome": CodeWords(N_("afloop")),
    "first": CodeWords(N_("eerste terugkoppeling (binnen 5 werkdagen)")),
    "final": CodeWords(N_("eindterugkoppeling (einde betrokkenheid Veilig Thuis)")),
    "parent_with_authority": CodeWords(N_("ouder met gezag")),
    "pupil_16_plus": CodeWords(N_("leerling van 16 jaar of ouder")),
    "granted": CodeWords(N_("toegekend")),
    "partly_granted": CodeWords(N_("deels toegekend")),
    "refused": CodeWords(N_("geweigerd")),
    "retention": CodeWords(N_("bewaartermijn verstreken")),
    "request": CodeWords(N_("op verzoek")),
    "parent": CodeWords(N_("ouder")),
    "carer": CodeWords(N_("verzorger")),
    "sibling": CodeWords(N_("broer of zus")),
    "household": CodeWords(N_("zelfde huishouden")),
    "unknown": CodeWords(N_("onbekend")),
    "same_board": CodeWords(N_("overdracht aan een school van hetzelfde bestuur"),
                            option=N_("School van hetzelfde bestuur")),
    "same_school": CodeWords(N_("overdracht binnen de eigen school (andere locatie of installatie)"),
                             option=N_("Eigen school: andere locatie of installatie")),
    "legal_obligation": CodeWords(N_("wettelijke verplichting of vordering"),
                                  option=N_("Wettelijke verplichting of vordering")),
}

# "other" means something else in each field: a source, a kind of expert, a role, a reason.
CODE_WORDS_IN_FIELD: dict[tuple[str, str], str] = {
    ("grounds", "other"): N_("andere reden"),
    ("decision", "other"): N_("anders"),
    ("gender", "other"): N_("anders"),
    ("kind", "other"): N_("andere deskundige"),
    ("role", "other"): N_("andere rol"),
    ("relation", "other"): N_("andere relatie"),
}
# The body map's regions and kinds of mark carry their words where they are defined.
CODE_WORDS_IN_FIELD.update({("region", r.id): r.label for r in _body_map.REGIONS})
CODE_WORDS_IN_FIELD.update({("what", code): word for code, word in _body_map.MARK_KINDS})

# A field's name on a screen is its record word (``FIELD_LABELS``) with a capital, except where a
# form's row or a record's line has room for fewer words, or the screen says it the form's way.
FIELD_SCREEN_WORDS: dict[str, str] = {
    "observed_by": N_("Door"), "source_name": N_("Welke bron"), "contradicting": N_("Tegenindicatie"),
    "catalogue": N_("Uit catalogus"), "reaction_invited": N_("Om reactie gevraagd"),
    "interpretation_after_reaction": N_("Pas daarna geduid"), "case_manager": N_("Casemanager"),
    "review_on": N_("Evalueren op"), "notes": N_("Toelichting"), "next_review_on": N_("Volgende evaluatie"),
    "with": N_("Met wie"), "explained": N_("Uitgelegd"), "weighing": N_("Afweging"),
    "reporter_disclosed_to_family": N_("Gezin weet wie meldde"), "due_on": N_("Uiterlijk"),
    "target_seq": N_("Betreft #"), "routed_to": N_("Doorgegeven aan"), "grounds": N_("Grond"),
    "monitoring_agreements": N_("Afspraken volgen"), "note": N_("Aanleiding"),
    "staff_suspicion": N_("Vermoeden tegen medewerker"), "user": N_("Gebruiker"),
    "catalogue_id": N_("Catalogus"), "catalogue_version": N_("Versie"), "signal_id": N_("Signaal-id"),
    "text": N_("Tekst"), "size": N_("Grootte (bytes)"), "sha256": N_("SHA-256"), "relation_detail": N_("Relatie"),
    "contact": N_("Bereikbaar via"), "source_case": N_("Uit casus"), "source_seq": N_("Vastlegging #"),
    "source_kind": N_("Soort vastlegging"), "region": N_("Gebied"),
}


def kind_title(kind: str) -> str:
    words = KIND_WORDS.get(kind)
    return _(words.title) if words else kind


def kind_screen(kind: str) -> str:
    words = KIND_WORDS.get(kind)
    return _(words.screen or words.title) if words else kind


def kind_noun(kind: str) -> str:
    words = KIND_WORDS.get(kind)
    return _(words.noun) if words and words.noun else kind


def record_word(code: str, field: str | None = None) -> str:
    """A stored code as a record shows it (in ``field``, where its meaning depends on it)."""
    if field is not None and (field, code) in CODE_WORDS_IN_FIELD:
        return _(CODE_WORDS_IN_FIELD[(field, code)])
    words = CODE_WORDS.get(code)
    return _(words.record) if words else code


def option_words(codes) -> list[tuple[str, str]]:
    """``[(code, Dutch option text)]`` for a form's select or tick list (not translated yet:
    the forms translate at use, as with every ``N_`` string)."""
    out = []
    for code in codes:
        words = CODE_WORDS.get(code)
        if words is None:
            out.append((code, code))
        else:
            out.append((code, words.option or words.record[:1].upper() + words.record[1:]))
    return out


# The pupil register (the student administration's export): its notice on a case.
KIND_WORDS["pupil_gone_from_register"] = KindWords(
    N_("Leerling niet meer in de leerlingadministratie"), screen=N_("Uit administratie"))
CODE_WORDS.update({
    "gone": CodeWords(N_("niet meer in de export")),
    "leaving_date": CodeWords(N_("uitschrijfdatum in de export")),
})
KIND_WORDS.update({
    "overstap_exported": KindWords(N_("Overstapdossier verstuurd"), screen=N_("Overstapdossier")),
    "overstap_receipt": KindWords(N_("Ontvangst overstapdossier bevestigd"), screen=N_("Ontvangstcode")),
    "overstap_received": KindWords(N_("Overstapdossier ontvangen"), screen=N_("Overstapdossier")),
})


# Dutch words for codes as a record shows them (untranslated, N_; translate at use).
LABELS: dict[str, str] = {code: words.record for code, words in CODE_WORDS.items()}


def label(code: str, field: str | None = None) -> str:
    """Dutch label of a code (in ``field``, where the meaning depends on it), translated now."""
    return record_word(code, field)


# Dutch names of payload fields, for messages, the record view and exports (translate at use).
# A nested field is named by its last part ('pupil.name' has a name of its own where it differs).
FIELD_LABELS: dict[str, str] = {
    "description": N_("omschrijving"), "observed_on": N_("waargenomen op"),
    "observed_by": N_("waargenomen door"), "source": N_("bron"),
    "source_name": N_("naam van de bron"), "contradicting": N_("spreekt het vermoeden tegen"),
    "catalogue": N_("uit signalenlijst"), "kind": N_("soort"), "with_whom": N_("met wie"),
    "on": N_("datum"), "anonymous": N_("anoniem"), "question": N_("vraag"), "advice": N_("advies"),
    "members": N_("leden"), "participants": N_("deelnemers"),
    "purpose_explained": N_("doel uitgelegd"), "facts_presented": N_("feiten voorgelegd"),
    "reaction_invited": N_("reactie gevraagd"),
    "interpretation_after_reaction": N_("duiding pas na de reactie"),
    "parents_informed_beforehand": N_("ouders vooraf geïnformeerd"), "summary": N_("samenvatting"),
    "outcome": N_("uitkomst"), "concern_removed": N_("zorg weggenomen"),
    "exception": N_("uitzondering"), "ground": N_("grond"), "reason": N_("reden"),
    "step": N_("stap"), "answer": N_("antwoord"), "with_veilig_thuis": N_("samen met Veilig Thuis"),
    "report_needed": N_("melden noodzakelijk"), "help_possible": N_("hulp mogelijk"),
    "agreements": N_("afspraken"), "roles": N_("rollen"), "case_manager": N_("casusregisseur"),
    "review_on": N_("evaluatie op"), "results_expected": N_("verwachte resultaten"),
    "results_reached": N_("resultaten bereikt"), "violence_continues": N_("geweld gaat door"),
    "notes": N_("notities"), "next_review_on": N_("volgende evaluatie op"), "with": N_("met"),
    "explained": N_("uitleg"), "reaction": N_("reactie"), "objections": N_("bezwaren"),
    "weighing": N_("weging"), "office": N_("Veilig Thuis-regio"), "reference": N_("kenmerk"),
    "reporter_disclosed_to_family": N_("melder bekend bij het gezin"), "due_on": N_("uiterlijk op"),
    "who": N_("wie"), "target_seq": N_("bij record #"), "routed_to": N_("doorgeleid naar"),
    "grounds": N_("gronden"),
    "monitoring_agreements": N_("afspraken over het volgen van de veiligheid"),
    "purpose": N_("doel"), "format": N_("formaat"), "title": N_("titel"),
    "journal_ref": N_("journaalverwijzing"), "origin": N_("herkomst"), "pupil": N_("leerling"),
    "parents": N_("ouders"), "owner": N_("eigenaar"), "note": N_("notitie"), "name": N_("naam"),
    "date_of_birth": N_("geboortedatum"), "group": N_("groep"),
    "pupil_number": N_("leerlingnummer"), "changes": N_("wijzigingen"),
    "staff_suspicion": N_("vermoeden tegen een medewerker"), "injury": N_("letsel"),
    "reported_to": N_("gemeld bij"), "by_whom": N_("door wie"), "agreed": N_("afgesproken"),
    "child_safety": N_("veiligheid van het kind nu"), "stage": N_("soort terugkoppeling"),
    "concerns_remain": N_("zorgen blijven"), "new_school": N_("nieuwe school"),
    "starts_on": N_("gestart op"), "goals": N_("doelen"), "goal_results": N_("resultaat per doel"),
    "reached": N_("bereikt"), "decided_by": N_("besloten door"),
    "record_type": N_("soort vastlegging"),
    "disclosure": N_("het kind vertelt het zelf (onthulling)"),
    "conversation_danger": N_("gesprek met de ouders kan het kind in gevaar brengen"),
    "decision": N_("besluit van Veilig Thuis"), "vt_agreed_by": N_("akkoord van (Veilig Thuis)"),
    "vt_agreed_on": N_("akkoord op"), "address": N_("adres"), "gender": N_("geslacht"),
    "taken_over_by": N_("overgenomen door"), "contact_person": N_("contactpersoon"),
    "asks_of_school": N_("wat Veilig Thuis van de school vraagt"),
    "interpretation_not_needed": N_("geen duiding nodig, omdat"), "pupil.name": N_("naam leerling"),
    "pupil.date_of_birth": N_("geboortedatum"), "pupil.group": N_("groep"),
    "pupil.pupil_number": N_("leerlingnummer"), "case": N_("casus"), "filename": N_("bestandsnaam"),
    "media_type": N_("soort bestand"), "sha256": N_("controlewaarde (sha256)"),
    "other_case": N_("andere casus"), "source_case": N_("casus van herkomst"),
    "source_seq": N_("record van herkomst"), "source_kind": N_("soort record van herkomst"),
    "how": N_("hoe"), "case_head": N_("kop van de casus"), "case_events": N_("aantal records"),
    "relation": N_("relatie"), "gezag": N_("gezag"),
    "relation_detail": N_("relatie (omschrijving)"), "phone": N_("telefoon"),
    "language": N_("taal"), "interpreter_needed": N_("tolk nodig"),
    "lives_with_pupil": N_("woont bij de leerling"), "organisation": N_("organisatie"),
    "role": N_("rol"), "contact": N_("contactgegevens"), "since": N_("sinds"),
    "signal_seq": N_("bij signaal #"), "region": N_("plek op het lichaam"), "colour": N_("kleur"),
    "size": N_("grootte"), "policy": N_("grondslag van het wissen"), "rule": N_("regel"),
    "requested_by": N_("gevraagd door"), "payloads": N_("gewiste inhouden"),
    "requester": N_("aanvrager"), "requester_name": N_("naam aanvrager"),
    "legal_basis": N_("wettelijke grondslag"), "approved_by": N_("goedgekeurd door"),
    "withheld": N_("niet verstrekt"), "keep_identities": N_("namen die blijven staan"),
    "what": N_("wat"), "why": N_("waarom"), "zienswijze": N_("zienswijze"),
    "decided_on": N_("besloten op"), "proposed_on": N_("voorgestelde vertrekdatum"),
    "register": N_("leerlingadministratie"), "loaded_at": N_("ingelezen op"),
    "edited": N_("aangepast"), "selection": N_("selectie"), "basis": N_("grondslag"), "basis_reason": N_("toelichting op de grondslag"),
    "parents_informed_on": N_("ouders geïnformeerd op"),
    "parents_informed_how": N_("hoe de ouders zijn geïnformeerd"),
    "exception_reason": N_("reden om de ouders niet te informeren"),
    "receiving_school": N_("ontvangende school"), "file_sha256": N_("controlewaarde"),
    "code": N_("ontvangstcode"), "origin_school": N_("verzendende school"),
    "source_case_id": N_("casus bij de verzendende school"),
    "records": N_("overgedragen vastleggingen"), "course": N_("cursus"),
    "provider": N_("aanbieder"), "school_year": N_("schooljaar"), "went_well": N_("wat ging goed"),
    "to_improve": N_("wat kan beter"), "hours_per_week": N_("uren aandachtsfunctionaris per week"),
    "agreements_vt": N_("afspraken met Veilig Thuis"),
    "agreements_wijkteam": N_("afspraken met het wijkteam"), "figures": N_("cijfers"),
}


def field_name(field: str) -> str:
    """The Dutch name of a payload field ('changes.observed_on' -> 'waargenomen op')."""
    base = str(field).split(".")[-1].split("[")[0]
    return _(FIELD_LABELS[base]) if base in FIELD_LABELS else base.replace("_", " ")
