"""What each kind of statement yields, on hand-written sentences that no seed contains."""

from __future__ import annotations

import pytest

from treatykg.build import extract_document
from treatykg.document import Document
from treatykg.kb import load_kb

KB = load_kb()


def facts_of(text: str, doc_id: str = "t") -> set[tuple[str, str, str]]:
    extraction = extract_document(Document(doc_id, text), KB)
    return {(f.subject.name, f.predicate, getattr(f.object, "name", getattr(f.object, "lexical", ""))) for f in extraction.facts}


def modalities(text: str) -> dict[str, str]:
    return {f.predicate: f.modality for f in extract_document(Document("t", text), KB).facts}


@pytest.mark.parametrize("text, expected", [
    pytest.param("Treaty of Commerce and Navigation. Signed at Vienna, on 3 March 1955\n\nRegistered by Austria on 9 May 1956.",
                 {("Treaty of Commerce and Navigation", "signingDate", "1955-03-03"),
                  ("Treaty of Commerce and Navigation", "signingPlace", "Vienna"),
                  ("Treaty of Commerce and Navigation", "registrationDate", "1956-05-09"),
                  ("Austria", "registers", "Treaty of Commerce and Navigation")}, id="unts-header"),
    pytest.param("The Agreement on Fisheries was signed on 4 June 1962 in Tokyo.",
                 {("Agreement on Fisheries", "signingDate", "1962-06-04"),
                  ("Agreement on Fisheries", "signingPlace", "Tokyo")}, id="signed-on-in"),
    pytest.param("Agreement on Trade between Austria and Chile. Signed at Lake Success, N.Y., on 6 May 1955",
                 {("Agreement on Trade", "signingDate", "1955-05-06"),
                  ("Agreement on Trade", "signingPlace", "Lake Success")}, id="city-and-state-abbreviation"),
    pytest.param("AGREEMENT ON TRADE BETWEEN AUSTRIA AND CHILE. SIGNED AT WASHINGTON, D.C., ON 6 MAY 1955",
                 {("Agreement on Trade", "signingDate", "1955-05-06")}, id="capitals-district-of-columbia"),
    pytest.param("Done at Washington, this twelfth day of May, one thousand nine hundred and sixty.",
                 set(), id="done-at-without-instrument"),
    pytest.param("The Agreement on Fisheries was signed on June 4, 1962 in Tokyo.",
                 {("Agreement on Fisheries", "signingDate", "1962-06-04"),
                  ("Agreement on Fisheries", "signingPlace", "Tokyo")}, id="month-first-date"),
    pytest.param("The Agreement on Trade was signed at the close of the plenary session the afternoon of "
                 "Sept. 8, 1954.", {("Agreement on Trade", "signingDate", "1954-09-08")}, id="afternoon-of"),
    pytest.param("The Agreement on Trade, signed September 8, 1954, was ratified.",
                 {("Agreement on Trade", "signingDate", "1954-09-08")}, id="signed-date-apposition"),
    pytest.param("The Agreement on Trade (signed 8 September 1954) was ratified.",
                 {("Agreement on Trade", "signingDate", "1954-09-08")}, id="signed-date-in-parentheses"),
    pytest.param("The Treaty of Commerce, the Protocol on Fisheries and the Agreement on Trade were all "
                 "signed on 8 September 1954.",
                 {(title, "signingDate", "1954-09-08")
                  for title in ("Treaty of Commerce", "Protocol on Fisheries", "Agreement on Trade")},
                 id="were-all-signed"),
])
def test_signing_statements(text: str, expected: set) -> None:
    assert expected <= facts_of(text)


@pytest.mark.parametrize("text, unwanted", [
    pytest.param("The Convention on Trade shall remain in force for ten years. It shall remain in force for a further "
                 "five years unless denounced.", ("Convention on Trade", "duration", "P5Y"), id="renewal-is-no-duration"),
    pytest.param("The Convention on Trade was signed in 1960. Austria may denounce the Convention on Trade at any time.",
                 ("Austria", "terminates", "Convention on Trade"), id="may-denounce"),
    pytest.param("In 1953 the Soviet Union did not recognize the Republic of Korea.",
                 ("the Soviet Union", "recognizes", "Republic of Korea"), id="did-not-recognize"),
    pytest.param("In 1953 the Republic of China rescinded its recognition of the Mongolian People's Republic.",
                 ("Republic of China", "recognizes", "Mongolian People's Republic"), id="rescinded-recognition"),
])
def test_modal_and_negated_statements_assert_nothing(text: str, unwanted: tuple) -> None:
    assert unwanted not in facts_of(text)


@pytest.mark.parametrize("text, predicate, modality", [
    pytest.param("In 1945 China recognized the independence of Outer Mongolia, provided that a plebiscite confirmed it.",
                 "recognizes", "conditional", id="provided-that"),
    pytest.param("In 1945 China recognized the independence of Outer Mongolia.", "recognizes", "asserted", id="plain"),
])
def test_conditions_are_marked(text: str, predicate: str, modality: str) -> None:
    assert modalities(text)[predicate] == modality


@pytest.mark.parametrize("text, expected", [
    pytest.param("The Convention on Trade shall remain in force for twenty years.",
                 ("Convention on Trade", "duration", "P20Y"), id="english"),
    pytest.param("《中蒙边界条约》有效期为十年。", ("中蒙边界条约", "duration", "P10Y"), id="chinese"),
    pytest.param("Договор о торговле будет действовать сроком на двадцать лет.",
                 ("Договор о торговле", "duration", "P20Y"), id="russian"),
])
def test_duration_in_three_languages(text: str, expected: tuple) -> None:
    assert expected in facts_of(text)


@pytest.mark.parametrize("text, expected", [
    pytest.param("On 24 February 1953, the Legislative Yuan of the Republic of China voted to terminate its "
                 "commitments to the Treaty of Commerce.", ("Republic of China", "terminates", "Treaty of Commerce"),
                 id="voted-to-terminate"),
    pytest.param("The Treaty of Commerce and Navigation and the Agreement on Fisheries, concluded on 5 May 1930, "
                 "are hereby abrogated.", ("Treaty of Commerce and Navigation", "signingDate", "1930-05-05"),
                 id="coordinated-signing-date"),
])
def test_termination_and_coordination(text: str, expected: tuple) -> None:
    assert expected in facts_of(text)


@pytest.mark.parametrize("text, expected", [
    pytest.param("The Agreement on Trade was signed by General William Harrison representing the United "
                 "States and General Nam Il representing North Korea.",
                 {("William Harrison", "signs", "Agreement on Trade"),
                  ("William Harrison", "represents", "the United States"),
                  ("Nam Il", "signs", "Agreement on Trade"), ("Nam Il", "represents", "North Korea")},
                 id="representing"),
    pytest.param("The Agreement on Trade was signed by Jan Kowal for Poland, and Omar Haddad for Egypt.",
                 {("Jan Kowal", "signs", "Agreement on Trade"), ("Jan Kowal", "represents", "Poland"),
                  ("Omar Haddad", "represents", "Egypt"), ("Egypt", "isPartyTo", "Agreement on Trade")},
                 id="for-a-state"),
    pytest.param("The Agreement on Trade was signed by the Secretary for Foreign Affairs Anthony Eden.",
                 {("Anthony Eden", "signs", "Agreement on Trade")}, id="for-in-an-office"),
    pytest.param("Agreement on Trade\nSigned | 27 July 1953 |\nParties |\nNorth Korea People's Republic of "
                 "China |", {("North Korea", "isPartyTo", "Agreement on Trade"),
                             ("People's Republic of China", "isPartyTo", "Agreement on Trade")},
                 id="infobox-parties-row"),
])
def test_signers_and_the_states_they_sign_for(text: str, expected: set) -> None:
    assert expected <= facts_of(text)


def test_a_rank_after_an_office_is_no_signatory() -> None:
    text = ("The Agreement on Trade was signed here today by Jan Kowal, Ambassador Extraordinary and Plenipotentiary "
            "of Poland, and Omar Haddad, Minister Resident of Egypt.")
    signers = {subject for subject, predicate, _ in facts_of(text) if predicate == "signs"}
    assert signers == {"Jan Kowal", "Omar Haddad"}


@pytest.mark.parametrize("title, parties", [
    pytest.param("Syrian-South African Agreement on Frontier Questions", {"Syrian", "South African"}, id="two-word-last"),
    pytest.param("The South African-Indian Agreement on Trade", {"South African", "Indian"}, id="two-word-first"),
    pytest.param("The Sino-Soviet Treaty of Friendship", {"Sino", "Soviet"}, id="one-word"),
    pytest.param("The Japan–Mongolia Treaty of Amity", {"Japan", "Mongolia"}, id="names-en-dash"),
    pytest.param("The Viet-Nam-Hungarian Treaty of Commerce", {"Viet-Nam", "Hungarian"}, id="hyphenated-name"),
    pytest.param("The Trans-Pacific Agreement on Trade", set(), id="no-state"),
    pytest.param("The Egyptian-Republic of China Treaty of Commerce", {"Egyptian", "Republic of China"},
                 id="state-name-with-of-last"),
    pytest.param("The Republic of China-Chilean Agreement on Trade", {"Republic of China", "Chilean"},
                 id="state-name-with-of-first"),
    pytest.param("The Moroccan-Norwegian Treaty of Non-Aggression", {"Moroccan", "Norwegian"},
                 id="of-in-the-title-is-no-state-name"),
])
def test_a_title_compound_of_state_adjectives_names_the_parties(title: str, parties: set) -> None:
    found = {subject for subject, predicate, obj in facts_of(f"{title} was signed today.") if predicate == "isPartyTo"}
    assert found == parties


def parties_of(text: str) -> set[tuple[str, str]]:
    return {(subject, obj) for subject, predicate, obj in facts_of(text) if predicate == "isPartyTo"}


ATLANTIC, COMMERCE, FISHERIES = "Atlantic Treaty", "Treaty of Commerce", "Agreement on Fisheries"


@pytest.mark.parametrize("text, parties", [
    pytest.param("ATLANTIC TREATY\n\nArticle 11\n\nThe Treaty shall enter into force as soon as the "
                 "ratifications of the majority of the signatories, including the ratifications of Belgium, "
                 "Canada and France, have been deposited.",
                 {("Belgium", ATLANTIC), ("Canada", ATLANTIC), ("France", ATLANTIC)},
                 id="ratifications-deposited"),
    pytest.param("TREATY OF COMMERCE\n\nArticle 9\n\nThe ratifications of Norway and Iceland shall be "
                 "exchanged at Oslo.", {("Norway", COMMERCE), ("Iceland", COMMERCE)},
                 id="exchange-of-ratifications-in-a-text"),
    pytest.param("The Agreement on Fisheries was ratified by Norway and by Iceland in 1962.",
                 {("Norway", FISHERIES), ("Iceland", FISHERIES)}, id="ratified-by"),
    pytest.param("Le Traité de Commerce devra être ratifié par la Pologne.",
                 {("Pologne", "Traité de Commerce")}, id="ratifie-par"),
    pytest.param("The Treaty of Friendship and the Agreement on Trade were signed in 1950; the "
                 "ratifications of Poland and Egypt followed.", set(), id="which-of-two-instruments"),
    pytest.param("The Treaty of Commerce shall enter into force when the ratifications of the signatories "
                 "have been deposited.", set(), id="no-state-named"),
])
def test_the_states_that_ratify_an_instrument_are_its_parties(text: str, parties: set) -> None:
    assert parties_of(text) == parties


@pytest.mark.parametrize("text, instrument, states", [
    pytest.param("Vredesverdrag met Italië\n\nLes Etats-Unis d'Amérique, la France, la Belgique, désignés "
                 "ci-après sous le nom de « Puissances Alliées », d'une part, et l'Italie d'autre part; ont "
                 "décidé de conclure le présent Traité de Paix.", "Traité de Paix",
                 {"Etats-Unis d'Amérique", "France", "Belgique", "Italie"}, id="french-one-part-other-part"),
    pytest.param("Page 3 of the archive copy\n\nThe Governments of Norway, Iceland and Denmark, Desiring to "
                 "strengthen their ties, have agreed to conclude this Agreement on Fisheries.", FISHERIES,
                 {"Norway", "Iceland", "Denmark"}, id="english-this-agreement"),
])
def test_a_preamble_under_a_heading_not_read_gives_the_parties_of_the_present_instrument(
        text: str, instrument: str, states: set) -> None:
    assert parties_of(text) == {(state, instrument) for state in states}


def signing_facts(text: str, published: str | None) -> set[tuple[str, str, str]]:
    extraction = extract_document(Document("t", text, published=published), KB)
    return {(f.subject.name, f.predicate, getattr(f.object, "name", getattr(f.object, "lexical", "")))
            for f in extraction.facts if f.predicate in ("signingDate", "signingPlace")}


@pytest.mark.parametrize("body, instrument, day", [
    pytest.param("The Treaty of Commerce and Navigation was signed here today by the two foreign ministers.",
                 "Treaty of Commerce and Navigation", "1961-03-31", id="passive-here-today"),
    pytest.param("The Soviet Union and Finland signed today the Agreement on Fisheries in the Baltic.",
                 "Agreement on Fisheries in the Baltic", "1961-03-31", id="active-today"),
    pytest.param("The two foreign ministers yesterday signed a Convention on Consular Relations.",
                 "Convention on Consular Relations", "1961-03-30", id="yesterday"),
    pytest.param("The two governments signed today a thirty-year Treaty of Friendship.",
                 "Treaty of Friendship", "1961-03-31", id="a-term-of-years"),
    pytest.param("The Pakistani-Ukrainian Treaty of Non-Aggression was signed today in Berlin.",
                 "Pakistani-Ukrainian Treaty of Non-Aggression", "1961-03-31", id="today-then-place"),
    pytest.param("The Treaty of Alliance was signed to-day at Dunkirk.", "Treaty of Alliance", "1961-03-31",
                 id="to-day"),
    pytest.param("The Treaty of Alliance was signed to day at Dunkirk.", "Treaty of Alliance", "1961-03-31",
                 id="to-day-split-by-ocr"),
])
def test_a_report_signed_today_is_dated_by_its_dateline(body: str, instrument: str, day: str) -> None:
    report = f"VIENNA, March 31 (AP) — {body}"
    assert signing_facts(report, "1961-04-01") >= {(instrument, "signingDate", day)}
    assert not signing_dates(report, None)  # the dateline's year is unknown
    # The paper's date is not the day of "today": a dispatch is printed the next morning as often as not.
    assert not signing_dates(f"Title: Pact\nDate: 1961-04-01\n\n{body}", None)


def signing_dates(text: str, published: str | None) -> set[tuple[str, str, str]]:
    return {fact for fact in signing_facts(text, published) if fact[1] == "signingDate"}


def test_a_dated_header_gives_the_dateline_its_year() -> None:
    text = "Title: T\nDate: 1961-04-01\n\nVIENNA, March 31 (AP) — The Convention on Trade was signed today."
    assert signing_facts(text, None) == {("Convention on Trade", "signingDate", "1961-03-31")}


@pytest.mark.parametrize("text, expected", [
    pytest.param("新华社罗马6月26日电 两国外交部长6月25日在罗马签订了《两国渔业协定》。",
                 {("两国渔业协定", "signingDate", "1979-06-25")}, id="month-day-after-the-dateline"),
    pytest.param("新华社北京2月14日电 两国外交部长今天在北京签订了《两国渔业协定》。",
                 {("两国渔业协定", "signingDate", "1979-02-14")}, id="today"),
    pytest.param("新华社北京2月14日电 两国外交部长昨天签署了《两国渔业协定》。",
                 {("两国渔业协定", "signingDate", "1979-02-13")}, id="yesterday"),
    pytest.param("新华社的里雅斯特8月16日电 两国外交部长8月15日在的里雅斯特签订了《两国渔业协定》。",
                 {("两国渔业协定", "signingDate", "1979-08-15"), ("两国渔业协定", "signingPlace", "的里雅斯特")},
                 id="a-long-transliterated-place"),
])
def test_a_chinese_report_is_dated_by_its_dateline(text: str, expected: set) -> None:
    assert expected <= signing_facts(text, "1979-08-17")


@pytest.mark.parametrize("text, expected", [
    pytest.param("The Treaty of Commerce was registered with the Secretariat of the United Nations on 5 May "
                 "1956 under No. 3201.", {("Treaty of Commerce", "registrationDate", "1956-05-05"),
                                          ("Treaty of Commerce", "registrationNumber", "3201")},
                 id="secretariat-on-under"),
    pytest.param("The Treaty of Commerce was registered with the United Nations Secretariat on 5 May 1952.",
                 {("Treaty of Commerce", "registrationDate", "1952-05-05")}, id="united-nations-secretariat"),
    pytest.param("Treaty of Trade. Signed at Warsaw, on 3 March 1955\n\nRegistered ex officio on 1 June 1956",
                 {("Treaty of Trade", "registrationDate", "1956-06-01")}, id="ex-officio"),
])
def test_registration_with_the_secretariat(text: str, expected: set) -> None:
    assert expected <= facts_of(text)


def test_a_registration_with_the_secretariat_names_no_registering_state() -> None:
    text = "The Treaty of Commerce was registered with the Secretariat of the United Nations on 5 May 1956."
    assert not {f for f in facts_of(text) if f[1] == "registers"}


CLOSING = ("SECURITY TREATY BETWEEN CHILE AND JAPAN\n\nIn witness whereof the Plenipotentiaries have "
           "signed this Treaty. Done in duplicate at the city of Lima, in the English and Japanese "
           "languages, this eighth day of September, 1951.")


def test_done_in_duplicate_at_a_city_in_two_languages_dates_places_and_gives_the_languages() -> None:
    assert {("Security Treaty", "signingDate", "1951-09-08"), ("Security Treaty", "signingPlace", "Lima"),
            ("Security Treaty", "officialLanguage", "en"), ("Security Treaty", "officialLanguage", "ja")} \
        <= facts_of(CLOSING)


def test_languages_spoken_are_no_official_languages() -> None:
    text = "Treaty of Trade between Poland and India\n\nIts signers spoke in the English and Polish languages"
    assert not {f for f in facts_of(text) if f[1] == "officialLanguage"}


def languages_of(text: str) -> set[str]:
    return {f[2] for f in facts_of(text) if f[1] == "officialLanguage"}


@pytest.mark.parametrize("text, expected", [
    pytest.param("TRAITÉ DE COMMERCE ENTRE LA FRANCE ET LE CHILI\n\nLe présent Traité, dont les textes "
                 "français et espagnol feront foi, sera ratifié.", {"fr", "es"},
                 id="dont-les-textes-feront-foi"),
    pytest.param("TRAITÉ DE COMMERCE ENTRE LA FRANCE ET LA POLOGNE\n\nFait à Varsovie, le 19 février 1947, "
                 "en double exemplaire, en langues française et polonaise, les deux textes faisant également "
                 "foi.", {"fr", "pl"}, id="en-langues-with-accented-names"),
    pytest.param("Traité de commerce entre la France et la Corée\n\nLes Parties contractantes sont "
                 "convenues des dispositions suivantes. Les textes en langues française et coréenne font "
                 "également foi.", {"fr", "ko"}, id="textes-en-langues-font-foi"),
])
def test_french_authentic_texts(text: str, expected: set) -> None:
    assert languages_of(text) == expected


@pytest.mark.parametrize("text", [
    pytest.param("TREATY OF PEACE WITH ROMANIA\n\nArticle 40\n\nThe present Treaty, of which the French, "
                 "English and Russian texts are authentic, shall be ratified.\n\nDone in the City of Paris "
                 "in the French, English, Russian and Romanian languages this tenth day of February, 1947.",
                 id="english"),
    pytest.param("TRAITÉ DE PAIX AVEC LA ROUMANIE\n\nArticle 40\n\nLe présent Traité, dont les textes "
                 "français, anglais et russe feront foi, devra être ratifié.\n\nFait à Paris, le dix "
                 "février, mille neuf cent quarante-sept, en langue française, anglaise, russe et roumaine.",
                 id="french"),
])
def test_a_text_written_in_a_language_not_named_authentic_is_no_official_one(text: str) -> None:
    assert languages_of(text) == {"fr", "en", "ru"}


def test_signers_of_a_french_account() -> None:
    text = ("Le Traité de commerce entre la France et la Norvège a été signé à Oslo le 3 mars 1951 par "
            "M. Robert Schuman et M. Halvard Lange.")
    signers = {("Robert Schuman", "signs", "Traité de commerce"),
               ("Halvard Lange", "signs", "Traité de commerce")}
    assert signers <= facts_of(text)


ALLIANCE = "Treaty of Alliance"
SINO_SOVIET = "Sino-Soviet Treaty of Friendship and Mutual Assistance"
COOPERATION = "Agreement on Economic Cooperation"


@pytest.mark.parametrize("report, expected", [
    pytest.param("LONDON, March 4 (Reuters) — A treaty of alliance between Britain and France was signed "
                 "to-day at Dunkirk by Mr. Bevin and M. Bidault.",
                 {(ALLIANCE, "signingDate", "1947-03-04"), ("Britain", "isPartyTo", ALLIANCE),
                  ("France", "isPartyTo", ALLIANCE), ("Bevin", "signs", ALLIANCE),
                  ("Bidault", "signs", ALLIANCE)},
                 id="described-with-parties"),
    pytest.param("MOSCOW, Feb. 14 (AP) — A Sino-Soviet treaty of friendship and mutual assistance was signed "
                 "here today.",
                 {(SINO_SOVIET, "signingDate", "1947-02-14"), ("Sino", "isPartyTo", SINO_SOVIET)},
                 id="described-after-a-compound-of-parties"),
    pytest.param("DAMASCUS, May 3 (AP) — A Syrian-South African treaty of friendship was signed here today.",
                 {("Syrian-South African Treaty of Friendship", "signingDate", "1947-05-03"),
                  ("South African", "isPartyTo", "Syrian-South African Treaty of Friendship")},
                 id="described-after-a-compound-of-two-word-names"),
    pytest.param("CAIRO, June 3 (AP) — Egypt and Syria yesterday signed an agreement on economic "
                 "cooperation.",
                 {(COOPERATION, "signingDate", "1947-06-02"), ("Egypt", "isPartyTo", COOPERATION)},
                 id="signed-by-the-parties"),
    pytest.param("ROME, June 5 (AP) — The Italian-Yugoslav Agreement was signed here today.",
                 {("Italian-Yugoslav Agreement", "signingDate", "1947-06-05"),
                  ("Yugoslav", "isPartyTo", "Italian-Yugoslav Agreement")}, id="title-of-parties-only"),
])
def test_a_report_that_names_no_title_names_the_instrument_it_describes(report: str, expected: set) -> None:
    extraction = extract_document(Document("t", report, published="1947-07-01"), KB)
    found = {(f.subject.name, f.predicate, getattr(f.object, "name", getattr(f.object, "lexical", "")))
             for f in extraction.facts}
    assert expected <= found


@pytest.mark.parametrize("text", [
    pytest.param("The Treaty of Dunkirk was signed on 4 March 1947. It was a treaty of alliance signed "
                 "between Britain and France.", id="a-title-is-named"),
    pytest.param("A treaty of commerce between Britain and France is under discussion.", id="no-signing"),
])
def test_a_description_is_no_instrument_of_its_own(text: str) -> None:
    assert not {f for f in facts_of(text) if "Alliance" in f[0] or "Commerce" in f[2] or "Commerce" in f[0]}


def test_a_place_after_signed_today_is_the_signing_place() -> None:
    report = "ROME, June 5 (AP) — The Agreement on Fisheries was signed here to-day in Moscow."
    assert {f for f in signing_facts(report, None) if f[1] == "signingPlace"} == {
        ("Agreement on Fisheries", "signingPlace", "Moscow")}


@pytest.mark.parametrize("body, place", [
    pytest.param("The Agreement on Fisheries was signed here today.", "Rome", id="here-today"),
    pytest.param("The Agreement on Fisheries was signed this afternoon by the two ministers.", None,
                 id="this-afternoon-not-here"),
    pytest.param("The two ministers tonight signed the Agreement on Fisheries.", None, id="tonight"),
])
def test_here_is_the_datelines_place_and_this_afternoon_its_day(body: str, place: str | None) -> None:
    found = signing_facts(f"ROME, June 5 (AP) — {body}", "1961-06-06")
    places = {(FISHERIES, "signingPlace", place)} if place else set()
    # the dateline's place is in capitals, as written
    assert {(s, p, o.title()) for s, p, o in found} == {(FISHERIES, "signingDate", "1961-06-05"), *places}


@pytest.mark.parametrize("text, signer, state", [
    pytest.param("The Treaty of Commerce was signed at Oslo.\n\nSigning for the United States, the "
                 "Secretary of State (Mr Dean Acheson) declared: “The treaty puts into words the ties.”",
                 "Dean Acheson", "the United States", id="name-in-parentheses"),
    pytest.param("The Treaty of Commerce was signed at Oslo. Signing for Norway was the Foreign Minister, "
                 "Mr. Halvard Lange.", "Halvard Lange", "Norway", id="signing-for-was"),
])
def test_signing_for_a_state(text: str, signer: str, state: str) -> None:
    assert {(signer, "signs", "Treaty of Commerce"), (signer, "represents", state)} <= facts_of(text)
