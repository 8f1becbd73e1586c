"""Where a sentence too long for a highlight is cut: before its second fact (compress), and, for
a written highlight, before the clause that only says when, why or of whom (main_clause)."""

from __future__ import annotations

import pytest

from digest.clauses import first_fact, main_clause
from digest.sentences import LONGEST, words_in

LONG = ("The central bank of Estmark kept its main interest rate at 4.25 percent for a third meeting "
        "in a row on Thursday")


@pytest.mark.parametrize(("tail", "cut"), [
    # a clause of its own after "after", "as", "before", "while" with its subject, or a gerund
    (" after the consumer prices rose faster than the governors and most of the analysts had expected.", True),
    (" as it waited to see whether the cuts of the spring had reached households and firms.", True),
    (" before turning to the question of how far the currency could fall in the months ahead.", True),
    # a relative clause after its comma, another main clause after ", and"
    (", which the finance ministry had asked for in a letter to the governors sent last week.", True),
    (", and the governors said they would not cut it again before inflation was back at target.", True),
])
def test_a_long_written_sentence_keeps_its_main_clause(tail: str, cut: bool) -> None:
    sentence = LONG + tail
    assert words_in(sentence) > LONGEST
    assert main_clause(sentence, LONGEST) == LONG + "."


@pytest.mark.parametrize("sentence", [
    # the main clause ends on when it happened, or on what it needs what follows for
    "The sentence, delivered by the judge of the county district court in a hearing that lasted most of the "
    "day, came more than a year after a widely shared video captured the officer pressing his knee on a man.",
    "Members of the court from across the political spectrum spent the whole of Wednesday morning "
    "struggling to determine when a school district should be allowed to discipline its students for what "
    "they say at home or online.",
    "The battle over the new state law will be the first test of limits on abortion access to go before "
    "the court's expanded conservative majority and could pave the way for more restrictions in other states.",
    # a few words set off by a comma are no end: "…, a warning | before they lose …"
    "The secretary of state made public the names of nearly 102,000 people who are at risk of having "
    "their registrations canceled, a warning before they lose their ability to vote in the elections next month.",
    # "as" closing a comparison
    "He would like to see his military and those in the West who are supporting it make maximum use of the "
    "next few months to put the Ukrainians in as good a position as they can be in before the winter.",
    # inside a quotation, or inside an aside between dashes
    "\"This is the sixth consecutive year that the number of births in the country has declined after an "
    "increase in 2014, down an average of 2 percent per year,\" the national center for statistics said on Wednesday.",
    # a sentence that opens on a subordinate clause has its main clause further on
    "Because of the choices made in the capital over the past two years, its flagrant violation of "
    "international law, which the allies have condemned at every summit since, the alliance has moved more "
    "troops to the east.",
])
def test_a_long_sentence_is_not_cut_where_its_head_needs_what_follows(sentence: str) -> None:
    assert words_in(sentence) > LONGEST
    assert main_clause(sentence, LONGEST) == sentence


def test_a_short_sentence_is_never_cut_and_two_facts_are_cut_after_the_first() -> None:
    short = "The bank kept its rate at 4.25 percent after prices rose."
    assert main_clause(short, LONGEST) == first_fact(short, LONGEST) == short
    two = (LONG + "; the governors also said that they would publish the minutes of the meeting a week "
           "earlier than usual from now on.")
    assert first_fact(two, LONGEST) == LONG + "."


def test_who_told_a_long_sentence_stays_with_it_without_what_describes_them() -> None:
    """", according to …" is no second fact: a figure keeps who gave it, and an attribution that
    goes on to describe its source says who without the rest."""
    figure = ("More than five million people, or nearly 8 percent of those who got a first shot of the "
              "Pfizer or Moderna vaccines, have missed their second doses, according to the most recent data "
              "from the Centers for Disease Control and Prevention.")
    assert words_in(figure) > LONGEST
    assert first_fact(figure, LONGEST) == figure
    described = ("Three researchers from the Wuhan Institute of Virology became sick enough in November 2019 "
                 "that they sought hospital care, according to a previously undisclosed U.S. intelligence "
                 "report that could add weight to growing calls for a fuller probe of the virus's origins.")
    assert first_fact(described, LONGEST) == (
        "Three researchers from the Wuhan Institute of Virology became sick enough in November 2019 that "
        "they sought hospital care, according to a previously undisclosed U.S. intelligence report.")
