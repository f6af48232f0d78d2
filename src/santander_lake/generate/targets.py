"""The real data's statistics that the generator reproduces, scaled to any size.

Figures come from the format spec (/work/shared/santander_format.md): customers
per month, ownership shares, additions per product and month, the test month's
estimated addition shares, provinces with their income level, and value counts.
"""

from __future__ import annotations

import numpy as np

from santander_lake.schema import ALL_MONTHS, PRODUCT_CODES

REAL_DISTINCT_CUSTOMERS = 956_645
FIRST_ID, LAST_ID = 15_889, 1_553_689

# Customers present in each of the 18 months (17 train months, then the test month).
REAL_CUSTOMERS_PER_MONTH: tuple[int, ...] = (
    625_457, 627_394, 629_209, 630_367, 631_957, 632_110, 829_817, 843_201, 865_440,
    892_251, 906_109, 912_021, 916_269, 920_904, 925_076, 928_274, 931_453, 929_615,
)  # fmt: skip

# Share of rows owning each product, in schema.PRODUCTS order.
OWNERSHIP_SHARES: tuple[float, ...] = (
    0.00010, 0.00002, 0.6555, 0.00039, 0.0809, 0.0095, 0.0097, 0.1290, 0.0433, 0.0018,
    0.0017, 0.0430, 0.0827, 0.0185, 0.0059, 0.0092, 0.0026, 0.0525, 0.0444, 0.0256,
    0.0038, 0.0547, 0.0594, 0.1279,
)  # fmt: skip

# Additions per product (schema order) in train months 2015-02-28 .. 2016-05-28.
REAL_ADDITIONS: tuple[tuple[int, ...], ...] = (
    (1, 1, 2132, 12, 1884, 7, 291, 249, 171, 348, 33, 724, 1472, 451, 5, 27, 9, 217, 3471,
     259, 8, 5659, 5656, 8285),
    (0, 1, 2293, 15, 1786, 18, 272, 284, 165, 481, 23, 814, 1594, 570, 7, 24, 12, 217, 5076,
     205, 4, 4479, 4473, 9135),
    (0, 1, 2366, 12, 1984, 10, 217, 278, 167, 263, 26, 775, 1459, 492, 4, 22, 17, 871, 4627,
     194, 5, 2663, 5628, 8346),
    (0, 0, 2264, 7, 1900, 10, 205, 289, 172, 238, 25, 885, 1461, 396, 9, 21, 11, 343, 4071,
     201, 4, 3369, 3345, 7085),
    (0, 0, 6588, 9, 1857, 7, 210, 213, 151, 289, 33, 939, 1204, 245, 4, 19, 8, 2931, 4655,
     152, 3, 5070, 8135, 9023),
    (0, 0, 3056, 10, 2771, 18, 191, 252, 164, 265, 24, 1138, 1085, 204, 6, 27, 5, 589, 4886,
     232, 9, 4408, 4850, 9172),
    (0, 0, 5730, 10, 2412, 37, 240, 231, 145, 322, 33, 1024, 924, 223, 1, 22, 13, 264, 4379,
     445, 2, 2950, 2968, 7115),
    (0, 0, 4389, 7, 1775, 22, 471, 191, 122, 387, 30, 1348, 1072, 130, 8, 21, 13, 271, 4463,
     328, 2, 4683, 4753, 11210),
    (0, 0, 5682, 3, 2409, 43, 468, 223, 153, 349, 22, 1390, 1205, 146, 7, 19, 9, 593, 4461,
     911, 2, 4818, 4790, 12100),
    (0, 0, 4670, 6, 2930, 31, 633, 209, 140, 110, 1, 908, 1588, 169, 3, 37, 8, 416, 4312,
     133, 5, 4395, 4409, 10102),
    (0, 0, 9077, 9, 3869, 69, 592, 283, 155, 8, 0, 1199, 1816, 205, 3, 157, 11, 235, 4295,
     255, 8, 5071, 5148, 9888),
    (0, 1, 4436, 12, 2155, 37, 545, 259, 149, 0, 0, 447, 2272, 145, 2, 104, 7, 445, 3792,
     739, 2, 2437, 2892, 10078),
    (0, 0, 3988, 9, 2211, 48, 770, 217, 141, 1, 0, 684, 2342, 82, 6, 45, 6, 557, 3881, 320,
     2, 9499, 12687, 11528),
    (0, 0, 4551, 5, 2428, 45, 643, 225, 131, 0, 0, 239, 1909, 92, 2, 30, 7, 199, 4401, 163,
     4, 4974, 5038, 10117),
    (0, 0, 4027, 5, 2381, 40, 596, 240, 161, 0, 0, 99, 2249, 83, 5, 21, 4, 807, 4100, 128,
     3, 3790, 4424, 9799),
    (1, 0, 3854, 5, 2346, 40, 512, 226, 131, 0, 0, 46, 2709, 60, 3, 22, 7, 279, 4248, 183,
     7, 5488, 5513, 10163),
)  # fmt: skip

# Estimated share of test customers adding each product in 2016-06 (leaderboard probes).
TEST_ADDITION_SHARES: dict[str, float] = {
    "ind_cco_fin_ult1": 0.010517,
    "ind_recibo_ult1": 0.009866,
    "ind_tjcr_fin_ult1": 0.004672,
    "ind_reca_fin_ult1": 0.003751,
    "ind_nom_pens_ult1": 0.004842,
    "ind_nomina_ult1": 0.005005,
    "ind_ecue_fin_ult1": 0.002379,
    "ind_cno_fin_ult1": 0.003510,
    "ind_ctma_fin_ult1": 0.000579,
    "ind_valo_fin_ult1": 0.000341,
    "ind_ctop_fin_ult1": 0.000231,
    "ind_ctpp_fin_ult1": 0.000137,
    "ind_fond_fin_ult1": 0.000124,
    "ind_dela_fin_ult1": 0.000100,
    "ind_ctju_fin_ult1": 0.000051,
    "ind_hip_fin_ult1": 0.000026,
    "ind_plan_fin_ult1": 0.000017,
    "ind_cder_fin_ult1": 0.000011,
    "ind_pres_fin_ult1": 0.000007,
}

# (cod_prov, nomprov, rows in train+test, geometric mean income); code 0 = missing.
PROVINCES: tuple[tuple[int, str, int, float], ...] = (
    (28, "MADRID", 4707850, 140579), (8, "BARCELONA", 1363798, 135726),
    (46, "VALENCIA", 730300, 75668), (41, "SEVILLA", 645656, 94473),
    (15, "CORUÑA, A", 458037, 98254), (30, "MURCIA", 424511, 69886),
    (29, "MALAGA", 391569, 98018), (50, "ZARAGOZA", 365703, 95928),
    (3, "ALICANTE", 335544, 69514), (11, "CADIZ", 314479, 81441),
    (36, "PONTEVEDRA", 298987, 100691), (33, "ASTURIAS", 284049, 89221),
    (47, "VALLADOLID", 254277, 90509), (35, "PALMAS, LAS", 252032, 83317),
    (6, "BADAJOZ", 205932, 62455), (48, "BIZKAIA", 198382, 98989),
    (45, "TOLEDO", 195725, 69052), (18, "GRANADA", 190954, 83755),
    (37, "SALAMANCA", 175309, 88582), (39, "CANTABRIA", 166530, 102788),
    (14, "CORDOBA", 154510, 71914), (10, "CACERES", 138510, 66265),
    (7, "BALEARS, ILLES", 134063, 132381), (21, "HUELVA", 130301, 68093),
    (13, "CIUDAD REAL", 127465, 61673), (2, "ALBACETE", 121908, 75412),
    (12, "CASTELLON", 111440, 69319), (43, "TARRAGONA", 107746, 88520),
    (9, "BURGOS", 103833, 88247), (0, "", 97587, 157274),
    (17, "GIRONA", 96842, 114649), (31, "NAVARRA", 94628, 90290),
    (26, "RIOJA, LA", 91008, 89761), (27, "LUGO", 90618, 67496),
    (32, "OURENSE", 89614, 75108), (24, "LEON", 88720, 81448),
    (25, "LERIDA", 84489, 68791), (20, "GIPUZKOA", 76436, 96922),
    (38, "SANTA CRUZ DE TENERIFE", 76065, 86383), (19, "GUADALAJARA", 69296, 88311),
    (23, "JAEN", 68859, 67628), (4, "ALMERIA", 64598, 74714),
    (16, "CUENCA", 61098, 61622), (49, "ZAMORA", 54357, 71106),
    (34, "PALENCIA", 52593, 83962), (40, "SEGOVIA", 45222, 87110),
    (22, "HUESCA", 42970, 74902), (5, "AVILA", 41411, 67905),
    (1, "ALAVA", 40295, 103428), (44, "TERUEL", 24063, 76597),
    (42, "SORIA", 18921, 79805), (52, "MELILLA", 10103, 123421),
    (51, "CEUTA", 7731, 139508),
)  # fmt: skip

# Acquisition channels with row counts; the long tail shares what the top codes leave.
CHANNELS: tuple[tuple[str, int], ...] = (
    ("KHE", 4_060_000), ("KAT", 3_270_000), ("KFC", 3_100_000), ("KHQ", 591_000),
    ("KFA", 410_000), ("KHK", 241_000), ("KHM", 184_000), ("KHD", 117_000),
    ("KHN", 117_000), ("KAS", 86_000), ("RED", 76_000), ("KAG", 74_000), ("KAY", 67_000),
    ("KAA", 66_000), ("KAB", 62_000), ("KAE", 50_000), ("KCC", 49_000), ("KBZ", 46_000),
    ("KHL", 45_000), ("KFD", 44_000), ("KAI", 37_000), ("KEY", 36_000), ("KAW", 34_000),
    ("KAR", 32_000), ("KAZ", 32_000), ("KAF", 30_000), ("007", 29_000), ("013", 27_000),
    ("KCI", 24_000), ("KAH", 22_000),
)  # fmt: skip

COUNTRIES: tuple[tuple[str, float], ...] = (
    ("FR", 0.16), ("AR", 0.15), ("DE", 0.14), ("GB", 0.13), ("US", 0.12), ("CO", 0.09),
    ("IT", 0.08), ("RO", 0.05), ("MX", 0.05), ("CH", 0.03),
)  # fmt: skip

AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (2, 17, 0.009), (18, 19, 0.002), (20, 29, 0.360), (30, 39, 0.144), (40, 49, 0.219),
    (50, 59, 0.130), (60, 69, 0.067), (70, 79, 0.040), (80, 89, 0.021), (90, 105, 0.008),
)  # fmt: skip

# The probe shares imply 1.29 products per adding customer; the simulation's adders take
# fewer at once, so the test month is scaled to keep about 3.5% of customers adding.
TEST_MONTH_SCALE = 0.88


def present_shares() -> np.ndarray:
    """Share of all distinct customers present in each of the 18 months."""
    return np.asarray(REAL_CUSTOMERS_PER_MONTH, dtype=float) / REAL_DISTINCT_CUSTOMERS


def addition_rates() -> np.ndarray:
    """Additions per present customer, months x products; row 0 (2015-01) is zero."""
    rates = np.zeros((len(ALL_MONTHS), len(PRODUCT_CODES)))
    for index, counts in enumerate(REAL_ADDITIONS, start=1):
        rates[index] = np.asarray(counts) / REAL_CUSTOMERS_PER_MONTH[index]
    shares = [TEST_ADDITION_SHARES.get(code, 0.0) for code in PRODUCT_CODES]
    rates[-1] = np.asarray(shares) * TEST_MONTH_SCALE
    return rates
