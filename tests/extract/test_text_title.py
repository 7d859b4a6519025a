"""The headline of a plain-text dump (real dev pages, tests/fixtures/extract/pages/*.txt, against their gold titles)."""
from __future__ import annotations

from pathlib import Path

from newstrace.extract.markup import split_lines
from newstrace.extract.options import ExtractOptions
from newstrace.extract.text import extract_text
from newstrace.extract.title import (_clean_echo, _echoed_near, _meta_line, _name_like, _relative_time,
                                     never_headline)

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


def _title(key: str) -> str | None:
    return extract_text((PAGES / f"{key}.txt").read_text(encoding="utf-8"), f"{key}.txt", ExtractOptions()).title


def test_a_headline_ending_in_an_ellipsis_is_not_swapped_for_the_same_teaser_with_the_site_name():
    # d112: the page's title line "Alles Neue mach der Mai… | Bibliothek 2.0 und mehr" stands at the top; the
    # headline itself ends with an ellipsis, which is the author's, not a teaser's cut
    assert _title("d112") == "Alles Neue mach der Mai…"


def test_a_teaser_cut_short_still_yields_to_its_full_line():
    lines = split_lines("Ein sehr langer Titel über etwas …\nanderes\nEin sehr langer Titel über etwas Wichtiges\n")
    assert _clean_echo(lines, [0, 2], 0) == 2
    lines = split_lines("Ein sehr langer Titel über etwas …\nanderes\nEin sehr langer Titel über etwas … | Seitenname\n")
    assert _clean_echo(lines, [0, 2], 0) == 0


def test_the_headline_not_the_byline_of_names_under_it():
    # d134: "Clara Löw, Siddharth Prakash & Klaus Jacob" stands between the headline and the body
    assert _title("d134") == "Warum es ein Ressourcenschutzgesetz braucht"


def test_the_headline_not_the_skip_link_at_the_top_of_the_page():
    # d274: a two-sentence headline (it ends with a period) lost to "Skip to main content"
    assert _title("d274") == "Ravenous wild goats ruled this island for over a century. Now, it's being reborn."


def test_bylines_and_credit_lines_look_like_names_not_headlines():
    assert _name_like("Clara Löw, Siddharth Prakash & Klaus Jacob")
    assert _name_like("Von Roland Brockmann und Sebastian Drescher")
    assert _name_like("Text & Fotos: Ivan Valetny")
    assert not _name_like("Warum es ein Ressourcenschutzgesetz braucht")
    assert not _name_like("Meet Cultural Cultivation Artist Alexandria Douziech")
    assert not _name_like("Habeck, BDI und Gewerkschaft dringen auf raschen Industrie-Strompreis")


def test_the_headline_is_chosen_together_with_the_article_block_under_it():
    # d115: a programming blog; the article under the headline is mostly code (no line reads as prose), so the first
    # prose line of the page is a sidebar far below, and the headline picked near it was "View my complete profile".
    # Scored as (headline, article block) pairs, the headline over the page's largest block wins
    assert _title("d115") == "Meta-Programming In Emacs Using Defadvice"


def test_the_headline_not_the_standfirst_under_it():
    # d002 and d226: the standfirst right under the headline lost to it before the pairs were scored together
    assert _title("d002") == "FINA Weltmeisterschaften VERSCHOBEN"
    assert _title("d226") == "Tweet of the Week #67: Dealing With Chikan"


def test_the_pair_features_equal_the_headline_features_read_against_each_block():
    # joint_rows computes the anchor-free features once for all blocks' candidates; they must be what title_features
    # gives for each block on its own
    import numpy as np

    from newstrace.extract import text as tm
    from newstrace.extract.linefeatures import line_features
    from newstrace.extract.title import body_blocks, candidates, joint_rows, title_features
    for key, n_blocks in (("d115", 2), ("d226", 1)):   # d226: its first block is its largest
        lines = split_lines((PAGES / f"{key}.txt").read_text(encoding="utf-8"))
        feats = line_features(lines)
        probs = tm.body_probabilities(lines, feats)
        url, trailer = tm._trailer_urls(lines)
        body, anchors = tm.locate_body(lines, feats, probs, tm.load_model()["switch"], trailer)
        pairs, X = joint_rows(lines, feats, probs, anchors, url, body)
        blocks = body_blocks(lines, feats, body)
        assert len(blocks) == n_blocks and len(pairs) == len(X) > 0
        k = 0
        for start, _, bf in blocks:
            anc = (min(anchors[0], start), start)
            cands = candidates(lines, anc)
            Xb = title_features(lines, feats, probs, anc, cands, url)
            assert [p for p in pairs[k:k + len(cands)]] == [(c, start) for c in cands]
            assert np.allclose(X[k:k + len(cands), :Xb.shape[1]], Xb) and np.allclose(X[k:k + len(cands), Xb.shape[1]:], bf)
            k += len(cands)


def test_a_headline_that_ends_with_a_shorter_line_of_the_page_is_not_cut_to_it():
    # d221: the headline "Keine Spiel-Talstraße zur Bunten Republik Neustadt" ends with the masthead's second line
    # ("zur Bunten Republik Neustadt", far above it); d254: "Burgenland: Best of Ruster Ausbruch DAC" ends with a
    # subhead of its article. Neither is a breadcrumb or a dateline joined to the headline by a separator
    assert _title("d221") == "Keine Spiel-Talstraße zur Bunten Republik Neustadt"
    assert _title("d254") == "Burgenland: Best of Ruster Ausbruch DAC"


def test_a_breadcrumb_or_dateline_joined_to_the_headline_still_yields_to_the_headline():
    lines = split_lines("Home › Politik › Der Bundestag beschließt das Gesetz\nDer Bundestag beschließt das Gesetz\nText\n")
    assert _clean_echo(lines, [0, 1], 0, 2) == 1
    lines = split_lines("08.11.2021 | Der Bundestag beschließt das Gesetz\nanderes\nDer Bundestag beschließt das Gesetz\n")
    assert _clean_echo(lines, [0, 2], 2, 3) == 2 and _clean_echo(lines, [0, 2], 0, 3) == 2
    # a breadcrumb whose separators the dump lost: the headline stands between it and the article
    lines = split_lines("Accueil à la une Parité hommes-femmes en Tunisie\nParité hommes-femmes en Tunisie\nTexte\n")
    assert _clean_echo(lines, [0, 1], 0, 2) == 1
    # without a separator, a shorter line above the pick is not its headline
    lines = split_lines("zur Bunten Republik Neustadt\nKeine Spiel-Talstraße zur Bunten Republik Neustadt\nText\n")
    assert _clean_echo(lines, [0, 1], 1, 2) == 1


def test_the_headline_is_the_line_its_date_or_byline_line_stands_under():
    # d082: the headline over "Arne Sjöström | 29. Dezember 202230. Dezember 2022 | HR-Welt" lost to that meta line;
    # d086: to the first line of the minutes under "26/12/2019 von revamp-it Webteam"; d223: to the subtitle under it
    # (the author lines follow the subtitle). Each headline has its date or byline line within a few lines under it
    assert _title("d082") == "Fünf HR-Trends 2023"
    assert _title("d086") == "Protokoll der Vorstandssitzung vom 10. Oktober 2019"
    assert _title("d223") == "The Effect of Influenza Vaccination for the Elderly on Hospitalization and Mortality"


def test_a_date_line_heading_the_post_title_counts_for_the_title_under_it():
    from newstrace.extract.title import _meta_below, _meta_line
    # d115 (a blog): "Wednesday, October 16, 2019" stands over the post title; the site name three lines above it
    # is not the headline that date belongs to
    texts = [l.text for l in split_lines((PAGES / "d115.txt").read_text(encoding="utf-8"))]
    assert texts[3] == "Wednesday, October 16, 2019" and _meta_line(texts[3])
    assert _meta_below(0, texts, lambda j: 0 <= j < len(texts) and _meta_line(texts[j])) == 0.0
    assert _meta_below(2, texts, lambda j: 0 <= j < len(texts) and _meta_line(texts[j])) == 1.0
    assert _title("d115") == "Meta-Programming In Emacs Using Defadvice"


def test_a_headline_printed_twice_is_read_at_its_copy_over_the_article():
    # d033: the headline stands first in a list of teasers, then again over the article with the artist's name (a
    # caption) just above it; the teaser copy scored best, and its ending "Alexandria Douziech" between it and the
    # article read as the headline of a breadcrumb whose separators were lost
    assert _title("d033") == "Meet Cultural Cultivation Artist Alexandria Douziech"


UNSEEN = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "unseen"


def test_lines_no_headline_is_are_not_headline_candidates():
    # d244: the blog's meta line ("Veröffentlicht: 05.01.2020 | Autor: gnaddrig | Abgelegt unter: …") under the post
    # title was picked over it; d185: a line of script residue was picked over a recipe's name
    assert _title("d244") == "Scherenschnitt (3)"
    assert never_headline("document.addEventListener('DOMContentLoaded', function() {")
    assert never_headline("The gutted remains of the two buildings, which had about 140 apartments. "
                          "Photograph: Eva Manez/Reuters")
    # a headline that opens with a credit's word is still one (fundus's WAZ gold title)
    assert not never_headline("Erstes Bild: So könnte die Duisburger Seilbahn aussehen")
    assert not never_headline("Scherenschnitt (3)")


def test_a_caption_closed_by_its_credit_is_not_the_headline():
    # fundus's Guardian page (text dump): the photo's caption, which ends with "Photograph: Eva Manez/Reuters",
    # stood nearer the body than the headline and won
    text = (UNSEEN / "uk_TheGuardian_2024_02_24.txt").read_text(encoding="utf-8")
    title = extract_text(text, "guardian.txt", ExtractOptions()).title
    assert title == "Death toll in Valencia fire rises to 10 as remains of last missing person found"


def test_a_line_a_separator_joins_to_the_next_is_not_the_headline():
    # fundus's netzpolitik.org page (text dump): the column's byline "Kolumne von Carla Siepmann -" under the headline
    # was picked over it; a line ending with a separator is joined to the line after it (no gold title ends so)
    text = (UNSEEN / "de_NetzpolitikOrg_2024_04_28.txt").read_text(encoding="utf-8")
    assert extract_text(text, "np.txt", ExtractOptions()).title == "Breakpoint: Hilfe, die Fundis kommen!"
    assert never_headline("Umbau des Weissen Hauses –")


def test_a_photo_credit_is_not_the_meta_line_a_headline_stands_over():
    # d087: "Schweiz | Praxis | Video" over "Text & Fotos: Ivan Valetny" read as a headline over its byline and beat the
    # headline "Bielersee-Winterhechte"; a credit under a line makes it a caption, if anything
    assert _title("d087") == "Bielersee-Winterhechte"


def test_a_salutation_a_heading_or_a_cut_compound_is_no_list_of_names():
    # d172: a sermon's salutation "Liebe Schwestern und Brüder," read as a byline, so the line over it, "Gnade sei mit
    # euch und Friede…", was taken for the headline over its byline and left out of the body
    a = extract_text((PAGES / "d172.txt").read_text(encoding="utf-8"), "d172.txt", ExtractOptions())
    assert "Gnade sei mit euch und Friede…" in a.text
    assert not _name_like("Liebe Schwestern und Brüder,")
    assert not _name_like("Ukrainische Gegenoffensive: Ziele, Chancen, Risiken")   # fundus's DW page
    assert not _name_like("Strom-, Gas- und DSL-Anbieter")                          # d220
    assert _name_like("Von Christian Unger, Tobias Köberlein, Laura Wagener und Alexander Klay")


def test_an_authors_bare_name_over_a_dated_line_is_the_meta_line_under_the_headline():
    # fundus's Media Indonesia page (text dump): headline, "Naufal Zuhdi", "20/1/2026 18:30", then the photo caption
    # and the body; the author's name alone did not count as a byline, and the caption next to the body won
    text = (UNSEEN / "id_MediaIndonesia_2026_01_20.txt").read_text(encoding="utf-8")
    assert extract_text(text, "mi.txt", ExtractOptions()).title == (
        "Dari Petani hingga Pendidik Bangsa, Begini Pesan Kuat di Wisuda IGI School of Economics Jakarta 2025")


def test_a_caption_closed_by_a_bracketed_credit_is_not_the_headline():
    # fundus's Les Echos page (text dump): the photo's caption "… au premier semestre. (Fred Scheiber/SIPA)" stood nearer
    # the body than the headline and won
    text = (UNSEEN / "fr_LesEchos_2024_07_18.txt").read_text(encoding="utf-8")
    assert extract_text(text, "le.txt", ExtractOptions()).title == (
        "Europe : les ventes de voitures neuves ont progressé au premier semestre")
    assert not never_headline("Wireshark: Besuchte URLs anzeigen (HTTP und HTTPS)")   # d127's headline


def test_a_short_kicker_yields_to_the_headline_right_under_it():
    # fundus's n-tv page (text dump): the kicker "Neue Leipziger Schule" (echoed in the breadcrumb) was picked over the
    # headline under it; a pick of at most three words with a headline-shaped line right under it is the kicker
    text = (UNSEEN / "de_NTV_2023_04_28.txt").read_text(encoding="utf-8")
    assert extract_text(text, "ntv.txt", ExtractOptions()).title == "Judy Lybke, ganz und gar nicht eigenartig"
    # d095: a two-word headline over a contact line ("Dr. Karin J. Schmitz Abteilung Öffentlichkeitsarbeit") stays
    assert _title("d095") == "Effiziente Hybridbatterie"


def test_a_standfirst_yields_to_the_shorter_headline_right_over_it():
    # d209 and d234: headline, standfirst, byline, date; the standfirst, nearer the byline and the body, scored a little
    # higher than the headline over it
    assert _title("d209") == "Thousands of UK academics 'treated as second-class citizens'"
    assert _title("d234") == "Coronavirus: £1,000 fine for falsely reporting a contact to force them to self-isolate"


def test_a_label_or_a_year_joined_by_a_separator_is_not_the_headline_over_a_standfirst():
    # d008 and d168: a long headline under "Symbolbild / Salzgitter Flachstahl AG" (a photo's label and credit) and
    # "Best Cheap Homemade Halloween Costumes | 2020" (the page's title with its year) is no standfirst of theirs
    assert _title("d008") == "Oranger Wasserstoff: Der Traum vom erneuerbaren Gas aus der Erdkruste"
    assert _title("d168") == "90+ Costumes For Adults to DIY on the Cheap This Halloween"


def test_a_four_word_kicker_yields_to_the_headline_right_under_it():
    # fundus's DW page (text dump): the topic label "Krieg in der Ukraine" over the headline was picked
    text = (UNSEEN / "de_DW_2023_04_28.txt").read_text(encoding="utf-8")
    assert extract_text(text, "dw.txt", ExtractOptions()).title == "Ukrainische Gegenoffensive: Ziele, Chancen, Risiken"


def test_an_abbreviations_period_does_not_break_a_headline_in_two_sentences():
    # d111: "Despite everything, U.S. emissions dipped in 2019" over its standfirst; "U.S. emissions" read as two sentences,
    # so the headline did not look like one and the standfirst under it stayed picked
    assert _title("d111") == "Despite everything, U.S. emissions dipped in 2019"


def test_a_phrase_opening_with_a_lower_case_word_is_not_the_headline():
    # d070: the page's HTML comment "registration and loading of Ad slot is handled in Head configuration", printed over
    # the headline, was picked; "iPhone 14: Warum sich das Warten wirklich lohnt" (d118's headline) stays a candidate
    assert _title("d070") == "Ex-Nationalspieler in der Oberliga: Marcell Jansen kämpft um Piotr Trochowskis HSV-Comeback"
    assert never_headline("registration and loading of Ad slot is handled in Head configuration")
    assert not never_headline("iPhone 14: Warum sich das Warten wirklich lohnt")


def test_a_kicker_joined_by_a_colon_is_part_of_the_headline():
    # fundus's BBC page (text dump): "Office for Budget Responsibility: What is the OBR and what does it do?" over the
    # article, whose subhead "What is the OBR and what does it do?" repeats the part after the colon; the line read
    # as that subhead with a label joined to it, and the subhead was taken for the headline
    text = (UNSEEN / "uk_BBC_2024_08_01.txt").read_text(encoding="utf-8")
    assert extract_text(text, "bbc.txt", ExtractOptions()).title == (
        "Office for Budget Responsibility: What is the OBR and what does it do?")
    lines = split_lines("Home › Politik › What is the OBR?\nWhat is the OBR?\n")
    assert _clean_echo(lines, [0, 1], 0) == 1   # a breadcrumb still yields to its last crumb


def test_a_line_saying_how_long_ago_the_page_was_posted_is_no_headline():
    # d144: "Erstellt: vor 4 Stunden" (a meta line with a relative time, no year) under the author's name was picked
    # over the headline above both
    assert _title("d144") == "St. Magdalener: Rotweine mit Eleganz und Charakter"
    assert _relative_time("Aktualisiert: vor 20 Stunden") and _relative_time("3 hours ago")
    assert not _relative_time("After his failed Beer Hall Putsch, in Munich 100 years ago, Adolf Hitler dictated his book")


def test_a_headline_echoed_next_to_itself_or_by_the_breadcrumb_wins():
    # d191: "COP26 in Glasgow" is printed twice two lines apart (the breadcrumb's current page, then the heading) and lost
    # to the topic link "Internationale Politik" under it; d215: "Homepage » Militär » <headline>" over the headline,
    # which lost to the tag list under it
    assert _title("d191") == "COP26 in Glasgow"
    assert _title("d215") == "CAE bildet künftig Luftwaffen-Piloten in Bremen aus"
    texts = ["Homepage » Militär » CAE bildet Piloten aus", "CAE bildet Piloten aus", "Tags", "StartseiteBilderPlejaden, M45",
             "Plejaden, M45", "Tumblr: gnaddrig ad libitum", "gnaddrig ad libitum"]
    assert list(_echoed_near([1, 4, 6], texts)) == [1.0, 1.0, 0.0]   # a label joined by a colon is no breadcrumb


def test_a_link_to_the_previous_or_next_post_is_no_headline():
    assert never_headline("← Nebenbei bemerkt (4)") and never_headline("Jahreswechsel →")
    assert not never_headline("Nebenbei bemerkt (4)")


def test_a_meta_line_made_long_by_its_tags_is_still_one():
    # d244's line under the headline: the date opens it, its tags make it longer than a meta line was allowed to be
    assert _meta_line("Veröffentlicht: 05.01.2020 | Autor: gnaddrig | Abgelegt unter: Canon Powershot S110, Fotografie | "
                      "Tags: Flugzeug, Kondensstreifen, Mond, Scherenschnitt, Silhouette, Wolken")
