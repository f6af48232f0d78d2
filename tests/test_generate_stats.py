"""The simulated customers reproduce the spec's statistics and a learnable addition signal."""

from __future__ import annotations

import numpy as np
import pytest

from santander_lake.generate import targets
from santander_lake.generate.population import MONTHS, Population, build_population
from santander_lake.generate.products import ProductHistory, simulate_products
from santander_lake.schema import ALL_MONTHS, PRODUCT_CODES

CUSTOMERS = 5000
INDEX = {code: i for i, code in enumerate(PRODUCT_CODES)}
MONTH = {m.isoformat()[:7]: i for i, m in enumerate(ALL_MONTHS)}
MAIN_PRODUCTS = (
    "ind_cco_fin_ult1", "ind_ctop_fin_ult1", "ind_recibo_ult1", "ind_ecue_fin_ult1",
    "ind_nom_pens_ult1", "ind_nomina_ult1", "ind_cno_fin_ult1", "ind_tjcr_fin_ult1",
)  # fmt: skip


@pytest.fixture(scope="module")
def simulated() -> tuple[Population, ProductHistory]:
    population_seed, products_seed = np.random.SeedSequence(3).spawn(2)
    population = build_population(CUSTOMERS, np.random.default_rng(population_seed))
    return population, simulate_products(population, np.random.default_rng(products_seed))


def _stayers(population: Population, month: int) -> np.ndarray:
    return np.flatnonzero(population.present(month - 1) & population.present(month))


def _additions(simulated, month: int) -> np.ndarray:
    population, history = simulated
    rows = _stayers(population, month)
    return history.owned[month, rows] & ~history.owned[month - 1, rows]


def _adds(simulated, month: str, product: str) -> int:
    return int(_additions(simulated, MONTH[month])[:, INDEX[product]].sum())


def _map_at_7(actual: np.ndarray, scores: np.ndarray) -> float:
    top = np.argsort(-scores, axis=1, kind="stable")[:, :7]
    hits = np.take_along_axis(actual, top, axis=1)
    precision = np.cumsum(hits, axis=1) / np.arange(1, 8)
    wanted = np.minimum(actual.sum(axis=1), 7)
    return float(
        np.mean(np.where(wanted > 0, (precision * hits).sum(1) / np.maximum(wanted, 1), 0))
    )


def test_customers_per_month_follow_the_spec_with_the_july_jump(simulated):
    population, _ = simulated
    shares = np.array([population.present(m).sum() for m in range(MONTHS)]) / CUSTOMERS
    assert np.allclose(shares, targets.present_shares(), atol=0.01)
    assert 1.25 < shares[MONTH["2015-07"]] / shares[MONTH["2015-06"]] < 1.37
    test = population.present(MONTHS - 1)
    assert not (test & ~population.present(MONTH["2016-05"])).any()


def test_ids_are_distinct_in_range_and_follow_the_first_contract_date(simulated):
    population, _ = simulated
    ids = population.ids
    assert np.unique(ids).size == CUSTOMERS and (np.diff(ids) > 0).all()
    assert ids.min() >= targets.FIRST_ID and ids.max() <= targets.LAST_ID
    contract_rank = np.argsort(np.argsort(population.first_contract))
    assert np.corrcoef(contract_rank, np.arange(CUSTOMERS))[0, 1] > 0.8


def test_junior_accounts_are_held_only_under_20(simulated):
    population, history = simulated
    for month in range(MONTHS):
        holders = history.owned[month, :, INDEX["ind_ctju_fin_ult1"]]
        assert (population.age(month)[holders] < 20).all()
    assert history.owned[:, :, INDEX["ind_ctju_fin_ult1"]].any()


def test_payroll_is_added_only_with_or_after_pensions_payroll(simulated):
    population, history = simulated
    nomina, pens = INDEX["ind_nomina_ult1"], INDEX["ind_nom_pens_ult1"]
    total = 0
    for month in range(1, MONTHS):
        rows = _stayers(population, month)
        added = _additions(simulated, month)
        payroll = added[:, nomina]
        assert (history.owned[month - 1, rows, pens] | added[:, pens])[payroll].all()
        total += payroll.sum()
    assert total > 100


def test_seasonal_spikes_of_taxes_current_account_and_payroll(simulated):
    assert _adds(simulated, "2015-06", "ind_reca_fin_ult1") >= 3 * max(
        _adds(simulated, "2015-05", "ind_reca_fin_ult1"), 1
    )
    assert _adds(simulated, "2015-06", "ind_cco_fin_ult1") > 1.8 * _adds(
        simulated, "2015-05", "ind_cco_fin_ult1"
    )
    assert _adds(simulated, "2015-12", "ind_cco_fin_ult1") > 1.3 * _adds(
        simulated, "2015-11", "ind_cco_fin_ult1"
    )
    assert _adds(simulated, "2016-02", "ind_nomina_ult1") > 2 * _adds(
        simulated, "2016-01", "ind_nomina_ult1"
    )


def test_term_deposits_die_out(simulated):
    _, history = simulated
    deposits = [INDEX[c] for c in ("ind_deco_fin_ult1", "ind_deme_fin_ult1", "ind_dela_fin_ult1")]
    held = history.owned[:, :, deposits].sum(axis=(1, 2))
    assert held[MONTH["2016-05"]] < 0.6 * held[MONTH["2015-09"]]
    for month in ("2016-03", "2016-04", "2016-05"):
        assert _adds(simulated, month, "ind_deco_fin_ult1") == 0
        assert _adds(simulated, month, "ind_deme_fin_ult1") == 0


def test_between_2_and_7_percent_of_customers_add_a_product_each_month(simulated):
    shares = [_additions(simulated, m).any(axis=1).mean() for m in range(1, MONTHS)]
    assert all(0.02 < share < 0.07 for share in shares)
    assert 0.025 < shares[-1] < 0.05


def test_ownership_shares_stay_near_the_spec(simulated):
    population, history = simulated
    rows = sum(population.present(m).sum() for m in range(MONTHS - 1))
    shares = history.owned[: MONTHS - 1].sum(axis=(0, 1)) / rows
    for code in MAIN_PRODUCTS:
        expected = targets.OWNERSHIP_SHARES[INDEX[code]]
        assert 0.6 * expected < shares[INDEX[code]] < 1.4 * expected, code


def test_true_probabilities_match_realised_additions(simulated):
    _, history = simulated
    probability = np.concatenate([t.probability for t in history.truth])
    added = np.concatenate([t.added for t in history.truth])
    assert [t.month for t in history.truth] == list(range(MONTHS - 6, MONTHS))
    assert abs(probability.sum() / added.sum() - 1) < 0.1
    likely = probability > np.quantile(probability, 0.99)
    assert abs(added[likely].mean() / probability[likely].mean() - 1) < 0.25


def test_additions_depend_on_the_customer_beyond_popularity(simulated):
    population, history = simulated
    oracle, popularity = [], []
    for truth in history.truth:
        rows = _stayers(population, truth.month)
        position = np.searchsorted(rows, truth.customers)
        scores = np.full((rows.size, len(PRODUCT_CODES)), -1.0)
        scores[position, truth.products] = truth.probability
        owned = history.owned[truth.month - 1, rows]
        actual = _additions(simulated, truth.month)
        last_month = _additions(simulated, truth.month - 1).sum(axis=0)
        oracle.append(_map_at_7(actual, scores))
        popularity.append(_map_at_7(actual, np.where(owned, -1.0, last_month[None, :] + 0.0)))
    assert np.mean(popularity) < 0.8 * np.mean(oracle)


def test_recently_dropped_products_are_readded_far_more_often(simulated):
    population, history = simulated
    readded, others = [], []
    for month in range(2, MONTHS):
        rows = _stayers(population, month)
        rows = rows[population.present(month - 2)[rows]]
        dropped = history.owned[month - 2, rows] & ~history.owned[month - 1, rows]
        never = ~history.owned[month - 2, rows] & ~history.owned[month - 1, rows]
        added = history.owned[month, rows]
        readded.append(added[dropped].mean())
        others.append(added[never].mean())
    assert np.mean(readded) > 10 * np.mean(others)
