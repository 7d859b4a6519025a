"""Small, distinct news pages for ingest tests (invented events; each page a full HTML document)."""
from __future__ import annotations

import html

STORIES = [
    ("Harbour ferry resumes after storm repairs", "Island Courier", "2024-03-03",
     ["The island ferry resumed its crossings on Sunday after engineers repaired the storm-damaged pier, the harbour authority said.",
      "About 1,200 residents had been cut off from the mainland for nine days, and emergency supplies were flown in by helicopter.",
      "The operator said a second vessel would join the route next month to clear the backlog of freight."]),
    ("City council approves new tram line", "Metro Ledger", "2024-05-14",
     ["The city council voted 31 to 12 on Tuesday to build a tram line linking the northern suburbs with the central station.",
      "Construction of the 14-kilometre line is expected to start next spring and to cost about 420 million euros.",
      "Opponents argued that the money would be better spent on buses, while business groups welcomed the decision."]),
    ("Drought forces farmers to sell cattle early", "Valley Farmer", "2023-08-21",
     ["Farmers across the eastern plains are selling cattle weeks ahead of schedule as the drought dries up grazing land.",
      "Prices at the regional auction fell by a fifth on Monday as more than 3,000 animals went under the hammer.",
      "The agriculture ministry said it would decide by Friday whether to release emergency feed reserves."]),
    ("Museum returns stolen manuscripts to monastery", "Heritage Weekly", "2022-11-02",
     ["A national museum has returned 17 medieval manuscripts to the mountain monastery from which they were stolen in 1994.",
      "The manuscripts were identified last year when a dealer offered two of them at an auction abroad, investigators said.",
      "Monks held a service of thanksgiving on Wednesday as the volumes were carried back into the library."]),
    ("Volunteers clear tonnes of plastic from river banks", "River Post", "2024-09-30",
     ["More than 600 volunteers removed about eight tonnes of plastic from the banks of the river over the weekend.",
      "Organisers said bottles and packaging made up most of the waste, much of it washed down during spring floods.",
      "The regional government promised to install floating barriers at three points along the river before winter."]),
    ("Rail strike halts commuter trains for a second day", "Capital Times", "2024-01-17",
     ["Commuter trains stood still for a second day on Wednesday as drivers continued their strike over pay and rosters.",
      "The union said talks with the rail operator had broken down after the company offered a raise of 2.5 percent.",
      "Roads into the capital were jammed for hours, and schools reported that many pupils arrived late."]),
]


def page(i: int, with_meta: bool = True) -> bytes:
    """A full news page for story i (title, outlet and date in the markup when with_meta)."""
    title, outlet, day, paras = STORIES[i % len(STORIES)]
    meta = (f'<meta property="og:site_name" content="{html.escape(outlet)}">'
            f'<meta property="article:published_time" content="{day}T08:00:00Z">') if with_meta else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>{meta}</head>"
            f"<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{html.escape(title)}</h1>{body}</article>"
            f"<footer>© {html.escape(outlet)}</footer></body></html>").encode("utf-8")


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed; each item dict may hold title, link, guid, pubDate, content (full HTML)."""
    parts = []
    for it in items:
        x = "<item>"
        if "title" in it:
            x += f"<title>{html.escape(it['title'])}</title>"
        if "link" in it:
            x += f"<link>{html.escape(it['link'])}</link>"
        if "guid" in it:
            x += f'<guid isPermaLink="false">{html.escape(it["guid"])}</guid>'
        if "pubDate" in it:
            x += f"<pubDate>{it['pubDate']}</pubDate>"
        if "content" in it:
            x += f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>"
        parts.append(x + "</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{html.escape(title)}</title><link>http://example.org/</link><description>test feed</description>"
            + "".join(parts) + "</channel></rss>").encode("utf-8")
