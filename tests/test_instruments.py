"""Instrument titles and their "between X and Y" clauses, on hand-written sentences that no seed contains."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatykg.instruments import find_instruments, heading_title, split_between


def titles(text: str) -> list[tuple[str, str, str | None]]:
    """Each instrument mention's name, the text its span covers, and its parties clause."""
    return [
        (
            s.name,
            text[s.start : s.end],
            text[s.parties_span[0] : s.parties_span[1]].strip() if s.parties_span else None,
        )
        for s in find_instruments(text)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            'They signed the "Agreement on Air Services between the Government of Peru and the Government '
            'of Chile" in Lima.',
            (
                "Agreement on Air Services",
                "Agreement on Air Services between the Government of Peru and the Government of Chile",
                "the Government of Peru and the Government of Chile",
            ),
            id="quoted-parties-last",
        ),
        pytest.param(
            'They signed the "Agreement between the Government of Peru and the Government of Chile on Air '
            'Services" in Lima.',
            (
                "Agreement on Air Services",
                "Agreement between the Government of Peru and the Government of Chile on Air Services",
                "the Government of Peru and the Government of Chile",
            ),
            id="quoted-parties-first",
        ),
        pytest.param(
            "They signed the Agreement between Peru and Chile for the Avoidance of Double Taxation.",
            (
                "Agreement for the Avoidance of Double Taxation",
                "Agreement between Peru and Chile for the Avoidance of Double Taxation",
                "Peru and Chile",
            ),
            id="running-text-parties-first",
        ),
        pytest.param(
            "Accord entre le Gouvernement de la France et le Gouvernement du Japon relatif à la "
            "Coopération Culturelle. Signé à Paris",
            (
                "Accord relatif à la Coopération Culturelle",
                "Accord entre le Gouvernement de la France et le Gouvernement du Japon relatif à la "
                "Coopération Culturelle",
                "le Gouvernement de la France et le Gouvernement du Japon",
            ),
            id="french",
        ),
        pytest.param(
            "Соглашение между Советским Союзом и Монгольской Народной Республикой о культурном "
            "сотрудничестве было подписано.",
            (
                "Соглашение о культурном сотрудничестве",
                "Соглашение между Советским Союзом и Монгольской Народной Республикой о культурном "
                "сотрудничестве",
                "Советским Союзом и Монгольской Народной Республикой",
            ),
            id="russian",
        ),
        pytest.param(
            "the Exchange of Notes constituting an Agreement between Haiti and Spain concerning Visas, "
            "signed at Madrid",
            (
                "Exchange of Notes constituting an Agreement concerning Visas",
                "Exchange of Notes constituting an Agreement between Haiti and Spain concerning Visas",
                "Haiti and Spain",
            ),
            id="exchange-of-notes-is-one-instrument",
        ),
        pytest.param(
            "the Convention against Discrimination in Education",
            (
                "Convention against Discrimination in Education",
                "Convention against Discrimination in Education",
                None,
            ),
            id="lower-case-connector",
        ),
    ],
)
def test_a_title_is_named_without_its_parties(text: str, expected: tuple) -> None:
    assert titles(text) == [expected]


@pytest.mark.parametrize(
    "text, name",
    [
        pytest.param(
            "They signed an agreement between Peru and Chile on 5 May 1950.", "agreement", id="date"
        ),
        pytest.param(
            "The Agreement between Peru and Chile on behalf of both peoples was welcomed.",
            "Agreement",
            id="on-behalf",
        ),
        pytest.param(
            "The Agreement between Peru and Chile for twenty years was welcomed.",
            "Agreement",
            id="lower-case",
        ),
        pytest.param(
            "Соглашение между Советским Союзом и Монгольской Народной Республикой Д О Г О В О Р В период",
            "Соглашение",
            id="spaced-capitals",
        ),
    ],
)
def test_words_after_the_parties_that_are_no_subject_stay_out_of_the_title(text: str, name: str) -> None:
    assert [found for found, _, _ in titles(text)] == [name]


@pytest.mark.parametrize(
    "text, names",
    [
        pytest.param("The Treaty of Commerce, the first of its kind, was signed.", ["Treaty of Commerce"],
                     id="apposition"),
        pytest.param(
            "The Treaty of Commerce, the Protocol on Fisheries and the Agreement on Trade were signed.",
            ["Treaty of Commerce", "Protocol on Fisheries", "Agreement on Trade"],
            id="list",
        ),
        pytest.param("A Protocol to the Treaty, and the Pacific Charter were signed.",
                     ["Protocol to the Treaty"], id="comma-and-the"),
        pytest.param("The Treaty of Friendship, Commerce, and Navigation was signed.",
                     ["Treaty of Friendship, Commerce, and Navigation"], id="serial-comma-in-a-title"),
        pytest.param("Le Traité de Commerce devra être ratifié.", ["Traité de Commerce"], id="french-verb"),
    ],
)
def test_a_title_ends_where_a_list_or_an_apposition_goes_on(text: str, names: list[str]) -> None:
    assert [name for name, _, _ in titles(text)] == names


def test_a_heading_names_its_instrument_without_its_parties() -> None:
    text = (
        "AGREEMENT BETWEEN THE GOVERNMENT OF PERU AND THE GOVERNMENT OF CHILE ON AIR SERVICES. SIGNED AT LIMA"
    )
    start, end, parties, name = heading_title(text, 0, len(text))
    assert name == "Agreement on Air Services"
    assert (
        text[start:end]
        == "AGREEMENT BETWEEN THE GOVERNMENT OF PERU AND THE GOVERNMENT OF CHILE ON AIR SERVICES"
    )
    assert text[parties[0] : parties[1]] == "THE GOVERNMENT OF PERU AND THE GOVERNMENT OF CHILE"


@pytest.mark.parametrize(
    "text, name, parties",
    [
        pytest.param("TRAITÉ D'AMITIÉ ET D'ASSISTANCE MUTUELLE ENTRE LA FRANCE ET LA POLOGNE. "
                     "SIGNÉ À VARSOVIE", "Traité d'Amitié et d'Assistance Mutuelle",
                     "LA FRANCE ET LA POLOGNE", id="french"),
        pytest.param("ДОГОВОР О ДРУЖБЕ МЕЖДУ СССР И МОНГОЛИЕЙ", "Договор о Дружбе", "СССР И МОНГОЛИЕЙ",
                     id="russian"),
    ],
)
def test_a_heading_in_another_language_names_its_instrument_without_its_parties(
        text: str, name: str, parties: str) -> None:
    _, _, found, named = heading_title(text, 0, len(text))
    assert (named, text[found[0]:found[1]]) == (name, parties)


_WORD = st.sampled_from(
    [
        "the",
        "Government",
        "of",
        "Peru",
        "and",
        "Chile",
        "on",
        "for",
        "Trade",
        "5",
        "May",
        "et",
        "relatif",
        "à",
        "Air",
        "behalf",
        "concerning",
        "visas",
        ",",
        "Republic",
    ]
)


@given(st.lists(_WORD, max_size=14), st.text(max_size=5), st.text(max_size=5))
def test_a_split_clause_keeps_its_parties_first_and_its_subject_after_them(
    words: list[str], before: str, after: str
) -> None:
    clause = " ".join(words)
    text = f"{before} {clause}{after}"
    start, end = len(before) + 1, len(before) + 1 + len(clause)
    parties, subject = split_between(text, start, end)
    assert parties[0] == start
    if subject is None:
        assert parties[1] == end
    else:
        assert start < parties[1] <= subject[0] < subject[1] == end
        assert " and " in text[start : parties[1]] or " et " in text[start : parties[1]]


@pytest.mark.parametrize(
    "text, named",
    [
        pytest.param('"This agreement opens a new era for our peoples," the minister said.', "agreement",
                     id="english-speech"),
        pytest.param("« Ce traité est une étape historique », a déclaré le ministre.", "traité", id="french-speech"),
        pytest.param('He called the "Treaty of Peace with Japan" a turning point.', "Treaty of Peace with Japan",
                     id="english-title"),
        pytest.param("«Советско-монгольский договор о дружбе» был подписан.", "Советско-монгольский договор о дружбе",
                     id="russian-title-with-lower-case-keyword"),
    ],
)
def test_quoted_speech_names_the_instrument_it_mentions_and_a_quoted_title_is_a_title(text: str, named: str) -> None:
    """Words spoken in quotes are not a title: only the instrument they mention is a mention."""
    spans = find_instruments(text)
    assert [text[s.start:s.end] for s in spans] == [named]
    assert spans[0].specific == (named[:1].isupper())


@pytest.mark.parametrize("quotes", ['"{}"', "“{}”", "«{}»", "« {} »"])
def test_a_title_in_any_quotes_is_one_title(quotes: str) -> None:
    text = "They signed the " + quotes.format("Agreement on Air Services between Peru and Chile") + " in Lima."
    assert titles(text) == [("Agreement on Air Services", "Agreement on Air Services between Peru and Chile",
                             "Peru and Chile")]


@pytest.mark.parametrize(
    "text, specific",
    [
        pytest.param('They signed the "Treaty of Non-Aggression between Austria and Indonesia".', True,
                     id="prefixed-word-in-a-quoted-title"),
        pytest.param("The Pakistani-Ukrainian Treaty of Non-Aggression was signed today.", True,
                     id="parties-and-a-prefixed-word"),
        pytest.param("The Agreement on Most-Favoured-Nation Treatment was signed today.", True,
                     id="most-favoured-nation"),
        pytest.param("The Sino-Soviet Treaty was signed today.", False, id="parties-alone"),
        pytest.param("The Franco-German Treaty was signed today.", False, id="other-parties-alone"),
    ],
)
def test_a_compound_of_parties_alone_names_no_one_instrument_but_a_prefixed_word_does(
        text: str, specific: bool) -> None:
    """"Sino-Soviet Treaty" may be any of several treaties; "Non-Aggression" is a word of the title."""
    [span] = find_instruments(text)
    assert span.specific is specific


@pytest.mark.parametrize(
    "text, name, determiner",
    [
        pytest.param("The New Zealander-Cuban Convention on Fisheries was signed.",
                     "New Zealander-Cuban Convention on Fisheries", "the", id="new-zealander"),
        pytest.param("The New Delhi Agreement was signed.", "New Delhi Agreement", "the", id="new-delhi"),
        pytest.param("They hailed the New Treaty of Alliance.", "Treaty of Alliance", "new",
                     id="a-new-treaty"),
        pytest.param("They hailed the new Treaty of Alliance.", "Treaty of Alliance", "new", id="lower-case"),
    ],
)
def test_a_capitalised_new_before_a_name_is_part_of_the_title(text: str, name: str, determiner: str) -> None:
    [span] = find_instruments(text)
    assert (span.name, span.determiner) == (name, determiner)


@pytest.mark.parametrize(
    "text, name",
    [
        pytest.param("The Egyptian-Republic of China Treaty of Commerce was signed.",
                     "Egyptian-Republic of China Treaty of Commerce", id="adjective-and-state-name"),
        pytest.param("The People's Republic of China–Japan Treaty of Peace was signed.",
                     "People's Republic of China–Japan Treaty of Peace", id="state-name-first"),
        pytest.param("The Yemeni-United Kingdom of Libya Agreement on Trade was signed.",
                     "Yemeni-United Kingdom of Libya Agreement on Trade", id="kingdom"),
        pytest.param("The Ministry of China Agreement was signed.", "China Agreement", id="no-state-form"),
    ],
)
def test_of_inside_a_state_name_stays_in_the_title(text: str, name: str) -> None:
    [span] = find_instruments(text)
    assert span.name == name


@pytest.mark.parametrize("text, title, kind", [
    pytest.param("双方签订了《中日渔业协定》。", "中日渔业协定", "Agreement", id="agreement"),
    pytest.param("双方签订了《瑞士和哥伦比亚领事公约》。", "瑞士和哥伦比亚领事公约", "Convention", id="convention"),
    pytest.param("雙方簽訂了《避免雙重徵稅公約》。", "避免雙重徵稅公約", "Convention", id="convention-traditional"),
])
def test_a_chinese_title_is_an_instrument_of_its_keyword(text: str, title: str, kind: str) -> None:
    [span] = find_instruments(text)
    assert (span.name, span.kind, span.specific) == (title, kind, True)
