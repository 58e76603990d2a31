"""Original fixture articles: two unrelated stories and a re-report of the first one."""

from __future__ import annotations

COPPER = [
    "Zambia's state mining investor ZCCM-IH agreed on Tuesday to sell a 20 percent stake in the "
    "Kansanshi Copper Company to Gulf Minerals Holdings for $1.1 billion, the companies said in "
    "a joint statement issued in Lusaka.",
    "The deal values the Kansanshi mine, which produced 215,000 tonnes of copper last year, at "
    "roughly $5.5 billion and gives the Abu Dhabi investor two seats on the operating board.",
    "Finance minister Situmbeko Musokotwane told reporters that proceeds would go towards the "
    "government's debt restructuring and a new smelter planned for the Copperbelt province.",
    "Analysts at Lusaka Securities said the price was above their estimates and reflected strong "
    "demand for copper from grid and electric-vehicle projects across Asia and Europe.",
    "The transaction still needs approval from the Zambia Competition and Consumer Protection "
    "Commission and is expected to close in the first quarter of next year.",
]

COPPER_REREPORT = [
    "Gulf Minerals Holdings will pay $1.1 billion for a fifth of the Kansanshi Copper Company, "
    "Zambia's state mining investor ZCCM-IH announced on Tuesday in Lusaka.",
    "Kansanshi produced 215,000 tonnes of copper last year, and the price implies a valuation of "
    "roughly $5.5 billion for the whole mine; the Abu Dhabi buyer gets two board seats.",
    "Speaking to reporters, finance minister Situmbeko Musokotwane said the money would support "
    "the government's debt restructuring and a new Copperbelt smelter.",
    "The price was above estimates, according to analysts at Lusaka Securities, who pointed to "
    "demand for copper from grid and electric-vehicle projects in Asia and Europe.",
    "Zambia's competition commission must still approve the sale, which the parties expect to "
    "complete in the first quarter of next year.",
]

LNG = [
    "Qatar Energy signed a 27-year agreement on Monday to supply 4 million tonnes a year of "
    "liquefied natural gas to China's Sinopec, starting in 2026, officials said in Doha.",
    "The cargoes will come from the North Field East expansion, which is set to raise Qatar's "
    "liquefaction capacity from 77 million to 110 million tonnes a year.",
    "Energy minister Saad al-Kaabi said the contract was the longest in the history of the LNG "
    "industry and showed that Asian buyers still wanted long-term supply.",
    "Sinopec will also take a 5 percent stake in one of the project's trains, mirroring an "
    "arrangement it agreed with Qatar in 2022 for the first phase of the expansion.",
    "Traders said the deal could weigh on spot prices in Asia later this decade as new supply "
    "from Qatar, the United States and Mozambique reaches the market.",
]

GRAIN = [
    "Egypt's state grain buyer Mostakbal Misr bought 420,000 tonnes of Russian wheat in a direct "
    "deal on Wednesday, European traders said, its largest single purchase this season.",
    "The wheat, for shipment in January and February, was bought at around $248 a tonne cost and "
    "freight, traders said, slightly below prices seen in tenders last month.",
    "Egypt is usually the world's largest wheat importer, and the new buyer has largely replaced "
    "the tenders once held by the General Authority for Supply Commodities.",
    "Russian export prices have eased in recent weeks as farmers sell stocks ahead of an export "
    "quota that Moscow is due to set for the second half of the season.",
    "Traders said more purchases were likely before the end of the year as Egypt builds reserves "
    "for the bread subsidy programme that feeds about 70 million people.",
]
