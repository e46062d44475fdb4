"""The measures against examples worked by hand (docs/identification.md has the same numbers)."""

import math

import numpy as np
import pytest

from mapping import measures

nan = math.nan

# Three territories x two activities (A, B). The third territory has no employment at all.
E = np.array([[30, 10], [10, 50], [0, 0]])


def close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), atol=1e-9)


def test_location_quotient_compares_the_territorys_share_with_the_nations():
    # LQ = (e_rs / e_r) / (E_s / E): territory 1 in A = (30/40) / (40/100) = 1.875.
    lq = measures.specialisation(E).location_quotient
    close(lq[:2], [[1.875, 0.25 / 0.6], [(10 / 60) / 0.4, (50 / 60) / 0.6]])


def test_a_territory_without_employment_has_no_location_quotient():
    result = measures.specialisation(E)
    assert np.isnan(result.location_quotient[2]).all()
    assert np.isnan(result.region_share[2]).all()


def test_an_activity_without_employment_has_no_location_quotient():
    result = measures.specialisation(np.array([[5, 0], [5, 0]]))
    assert np.isnan(result.location_quotient[:, 1]).all()
    close(result.location_quotient[:, 0], [1, 1])


def test_a_territory_with_one_activity_has_a_quotient_of_the_whole_over_the_activity():
    # Territory 2 does only B: e_rs / e_r = 1, so LQ = E / E_B = 100 / 70.
    result = measures.specialisation(np.array([[30, 10], [0, 60]]))
    close(result.location_quotient[1], [0, 100 / 70])
    close(result.region_share[1], [0, 1])


def test_nothing_at_all_gives_no_quotient_and_no_star():
    empty = np.zeros((3, 2))
    assert np.isnan(measures.specialisation(empty).location_quotient).all()
    stars = measures.cluster_stars(empty, size_top_share=0.1, specialisation_lq=2, focus_top_share=0.1)
    assert stars.count.sum() == 0


def test_size_and_focus_stars_go_to_the_top_share_of_territories_with_employment():
    stars = measures.cluster_stars(E, size_top_share=0.1, specialisation_lq=1.5, focus_top_share=0.1)
    # Two territories have employment: the top 10 % of two is one territory per activity.
    assert stars.size.tolist() == [[True, False], [False, True], [False, False]]
    # Focus: A is 75 % of territory 1 (vs 17 % of territory 2); B is 83 % of territory 2.
    assert stars.focus.tolist() == [[True, False], [False, True], [False, False]]
    # Specialisation: LQ ≥ 1.5 only for territory 1 in A (1.875); territory 2 in B is 1.39.
    assert stars.specialisation.tolist() == [[True, False], [False, False], [False, False]]
    assert stars.count.tolist() == [[3, 0], [0, 2], [0, 0]]


def test_the_default_specialisation_star_needs_a_quotient_of_two():
    stars = measures.cluster_stars(E, size_top_share=0.1, specialisation_lq=2.0, focus_top_share=0.1)
    assert not stars.specialisation.any()


def test_ties_at_the_edge_of_the_top_share_all_get_the_star():
    values = np.array([[5.0], [5.0], [1.0], [0.0]])
    assert measures.top_share(values, 0.1, np.ones(4, bool)).ravel().tolist() == [True, True, False, False]
    # 30 territories at 10 %: exactly 3 (0.1 x 30 is 3.0000000000000004 in binary, not 4).
    thirty = np.arange(30, 0, -1, dtype=float)[:, None]
    assert measures.top_share(thirty, 0.1, np.ones(30, bool)).sum() == 3


def test_zero_employment_never_earns_a_star_even_in_the_top_share():
    values = np.array([[0.0], [0.0]])
    assert not measures.top_share(values, 0.5, np.ones(2, bool)).any()


BASE = np.array([[20, 10], [10, 40]])
END = np.array([[30, 10], [10, 50]])


def test_shift_share_splits_the_change_into_national_industry_mix_and_regional_parts():
    # G = 100/80 - 1 = 0.25; G_A = 40/30 - 1 = 1/3; G_B = 60/50 - 1 = 0.2.
    result = measures.shift_share(BASE, END)
    close(result.change, [[10, 0], [0, 10]])
    close(result.national_share, [[5, 2.5], [2.5, 10]])
    close(result.industry_mix, [[20 / 12, -0.5], [10 / 12, -2]])
    close(result.regional_shift, [[10 / 3, -2], [-10 / 3, 2]])
    close(result.national_share + result.industry_mix + result.regional_shift, result.change)
    close(result.growth, [[0.5, 0], [0, 0.25]])


def test_a_territory_missing_a_year_gets_no_shift_share_and_does_not_bend_the_national_rates():
    base = np.vstack([BASE, [0, 0]])
    end = np.vstack([END, [5, 5]])
    result = measures.shift_share(base, end, base_present=[True, True, False], end_present=[True, True, True])
    assert np.isnan(result.regional_shift[2]).all() and np.isnan(result.change[2]).all()
    close(result.regional_shift[:2], measures.shift_share(BASE, END).regional_shift)


def test_an_activity_new_to_a_territory_is_all_regional_shift():
    result = measures.shift_share(np.array([[0, 10], [10, 10]]), np.array([[6, 10], [10, 10]]))
    close(result.national_share[0, 0], 0)
    close(result.industry_mix[0, 0], 0)
    close(result.regional_shift[0, 0], 6)
    assert np.isnan(result.growth[0, 0])


def test_no_base_year_data_at_all_means_no_shift_share():
    result = measures.shift_share(np.zeros((2, 2)), END)
    assert np.isnan(result.regional_shift).all()


def test_herfindahl_is_the_sum_of_squared_shares_of_each_activity():
    close(measures.herfindahl(E), [0.625, 26 / 36])
    result = measures.herfindahl(np.array([[7, 0], [0, 0]]))
    assert result[0] == 1 and np.isnan(result[1])


def test_ellison_glaeser_without_establishments_is_the_normalised_raw_concentration():
    # x = (0.4, 0.6, 0), sum(x^2) = 0.52; G_A = 0.35^2 + 0.35^2 = 0.245; gamma_A = 0.245 / 0.48.
    g_b = (1 / 6 - 0.4) ** 2 + (5 / 6 - 0.6) ** 2
    close(measures.ellison_glaeser(E), [0.245 / 0.48, g_b / 0.48])


def test_ellison_glaeser_takes_the_plants_herfindahl_from_the_establishments():
    # H_A = 1/4, H_B = 1/10: gamma = (G - 0.48 H) / (0.48 (1 - H)).
    g_b = (1 / 6 - 0.4) ** 2 + (5 / 6 - 0.6) ** 2
    close(measures.ellison_glaeser(E, establishments=[4, 10]), [0.125 / 0.36, (g_b - 0.048) / 0.432])


def test_ellison_glaeser_is_undefined_for_one_territory_or_one_plant():
    assert np.isnan(measures.ellison_glaeser(np.array([[5, 3]]))).all()
    assert np.isnan(measures.ellison_glaeser(E, establishments=[1, 10])[0])


def test_min_max_normalisation_turns_round_the_criteria_where_less_is_better():
    values = np.array([[100, 2], [300, 0], [200, 4]])
    normalised, usable = measures.normalise(values, [False, True])
    close(normalised, [[0, 0.5], [1, 1], [0.5, 0]])
    assert usable.tolist() == [True, True]


def test_normalisation_of_equal_missing_and_empty_criteria():
    values = np.array([[5, nan, nan], [5, 3, nan], [5, 1, nan]])
    normalised, usable = measures.normalise(values, [False, False, False])
    close(normalised, [[1, 0, 0], [1, 1, 0], [1, 0, 0]])
    assert usable.tolist() == [True, True, False]


def test_ties_share_a_rank():
    assert measures.competition_ranks(np.array([0.25, 1.0, 0.25])).tolist() == [2, 1, 2]


def test_weights_change_the_ranking():
    normalised, _usable = measures.normalise(np.array([[100, 2], [300, 0], [200, 4]]), [False, True])
    assert measures.competition_ranks(measures.weighted_scores(normalised, [1, 1])).tolist() == [2, 1, 2]
    assert measures.competition_ranks(measures.weighted_scores(normalised, [3, 1])).tolist() == [3, 1, 2]


def test_sensitivity_counts_the_scenarios_in_which_each_cluster_keeps_its_rank():
    normalised, _usable = measures.normalise(np.array([[100, 2], [300, 0], [220, 4]]), [False, True])
    ranking = measures.rank_with_sensitivity(normalised, np.array([1.0, 1.0]), 0.2)
    close(ranking.scores, [0.25, 1, 0.3])
    assert ranking.ranks.tolist() == [3, 1, 2]
    assert ranking.scenarios == 4
    # Scenarios: Ax0.8 swaps clusters 1 and 3; Ax1.2 and Bx0.8 change nothing; Bx1.2 ties them at 2nd.
    assert ranking.kept.tolist() == [2, 4, 3]
    assert ranking.best_rank.tolist() == [2, 1, 2]
    assert ranking.worst_rank.tolist() == [3, 1, 3]
    close(ranking.stability, [0.5, 1, 0.75])


def test_a_weight_of_zero_is_not_moved_and_no_weight_at_all_ranks_nobody():
    normalised, _usable = measures.normalise(np.array([[100, 2], [300, 0]]), [False, True])
    assert measures.rank_with_sensitivity(normalised, np.array([1.0, 0.0]), 0.2).scenarios == 2
    assert measures.rank_with_sensitivity(normalised, np.array([0.0, 0.0]), 0.2).scenarios == 0


def test_a_clusters_quotient_and_its_competitors_are_computed_over_its_territories_and_activities_as_a_block():
    territories = np.array([[1, 0, 0], [1, 1, 0]])
    activities = np.array([[1, 0], [1, 0]])
    close(measures.grouped_location_quotients(E, territories, activities), [1.875, 1.0])
    assert measures.specialised_territories(E, activities, 1.5).tolist() == [[True, False, False]] * 2


@pytest.mark.parametrize("share", [0.1, 0.25, 0.5, 1.0])
def test_the_top_share_never_gives_fewer_stars_than_its_share(share):
    values = np.arange(1, 21, dtype=float)[:, None]
    assert measures.top_share(values, share, np.ones(20, bool)).sum() == math.ceil(share * 20 - 1e-9)
