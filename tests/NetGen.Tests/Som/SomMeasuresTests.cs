namespace NetGen.Tests.Som;

/// <summary>The quantisation and topographic errors, the U-matrix, the hit map and the class counts on hand-built maps, against values worked out by hand.</summary>
public class SomMeasuresTests
{
    /// <summary>Three units in a row: w₀ = (0, 0), w₁ = (3, 4), w₂ = (3, 0).</summary>
    private static RowMap Row()
    {
        var map = new RowMap();
        map.SetUnitWeights(0, [0f, 0f]);
        map.SetUnitWeights(1, [3f, 4f]);
        map.SetUnitWeights(2, [3f, 0f]);
        return map;
    }

    // x = (0, 1): squared distances 1, 18, 10 → best 0 (distance 1), second 2: columns 0 and 2, not neighbours.
    // x = (3, 3): 18, 1, 9 → best 1 (distance 1), second 2: neighbours.
    // x = (3, −2): 13, 36, 4 → best 2 (distance 2), second 0: not neighbours.
    private static readonly float[] RowSamples = [0f, 1f, 3f, 3f, 3f, -2f];

    [Fact]
    public void Quantization_error_is_the_mean_euclidean_distance_to_the_best_unit() =>
        Assert.Equal(4.0 / 3, SomMeasures.QuantizationError(Row(), RowSamples), 1e-6);   // (1 + 1 + 2) / 3

    [Fact]
    public void Topographic_error_counts_samples_whose_two_best_units_are_not_neighbours()
    {
        Assert.Equal(2f / 3, SomMeasures.TopographicError(Row(), RowSamples));
        // On a 2 × 2 grid every unit is a neighbour of every other (diagonals count), so the error is 0 — also for
        // x = (0.6, 1.1), whose best unit is 2 (1.17) and second 1 (1.37), diagonal neighbours.
        Assert.Equal(0f, SomMeasures.TopographicError(Square(), [0.4f, 0f, 3f, 5f, -1f, 7f, 0.6f, 1.1f]));
        Assert.Equal((2, 1), SomMeasures.BestTwoUnits(Square(), [0.6f, 1.1f], new float[4]));
        Assert.Equal(0f, SomMeasures.TopographicError(new Map1x1(), [0.5f, 2f]));   // one unit: no second
    }

    [Fact]
    public void The_two_best_units_break_ties_towards_the_lower_unit()
    {
        var distances = new float[4];
        Assert.Equal((0, 1), SomMeasures.BestTwoUnits(Square(), [0.5f, 0f], distances));   // 0.25 and 0.25
        Assert.Equal((0, 1), SomMeasures.BestTwoUnits(Square(), [0.5f, 1f], distances));   // 1.25 for units 0, 1 and 2
        Assert.Equal(new[] { 1.25f, 1.25f, 1.25f, 3.5f * 3.5f + 25f }, distances);
        Assert.Equal((3, 2), SomMeasures.BestTwoUnits(Square(), [4f, 5f], distances));    // 41, 34, 25, 1: unit 3, then unit 2
    }

    /// <summary>A 2 × 2 square: w₀ = (0, 0), w₁ = (1, 0) to its right, w₂ = (0, 2) below it, w₃ = (4, 6) diagonally.</summary>
    private static SquareMap Square()
    {
        var map = new SquareMap();
        map.SetUnitWeights(0, [0f, 0f]);
        map.SetUnitWeights(1, [1f, 0f]);
        map.SetUnitWeights(2, [0f, 2f]);
        map.SetUnitWeights(3, [4f, 6f]);
        return map;
    }

    [Fact]
    public void The_u_matrix_is_the_mean_distance_to_the_four_neighbours()
    {
        // Row map: |w₀ − w₁| = 5, |w₁ − w₂| = 4.
        Assert.Equal(new float[,] { { 5f, 4.5f, 4f } }, SomMeasures.UMatrix(Row()));
        // Square: |w₀ − w₁| = 1, |w₀ − w₂| = 2, |w₁ − w₃| = √45, |w₂ − w₃| = √32; the diagonals are not neighbours.
        var u = SomMeasures.UMatrix(Square());
        Assert.Equal(1.5, u[0, 0], 1e-6);
        Assert.Equal((1 + Math.Sqrt(45)) / 2, u[0, 1], 1e-6);
        Assert.Equal((2 + Math.Sqrt(32)) / 2, u[1, 0], 1e-6);
        Assert.Equal((Math.Sqrt(45) + Math.Sqrt(32)) / 2, u[1, 1], 1e-6);
        Assert.Equal(new float[,] { { 0f } }, SomMeasures.UMatrix(new Map1x1()));
        var flat = new float[4];
        SomMeasures.UMatrix(Square(), flat);
        Assert.Equal(new[] { u[0, 0], u[0, 1], u[1, 0], u[1, 1] }, flat);
    }

    [Fact]
    public void Hit_map_and_class_counts_count_each_units_samples()
    {
        Assert.Equal(new int[,] { { 1, 1, 1 } }, SomMeasures.HitMap(Row(), RowSamples));
        Assert.Equal(new int[,] { { 2, 0, 1 } }, SomMeasures.HitMap(Row(), [0f, 1f, 0.5f, 0f, 3f, -2f]));
        Assert.Equal(new int[,] { { 1, 0 }, { 0, 1 }, { 0, 1 } }, SomMeasures.ClassCounts(Row(), RowSamples, [0, 1, 1], 2));
        var data = Dataset.FromLabels(RowSamples, 2, [1, 0, 1], 2);
        Assert.Equal(new int[,] { { 0, 1 }, { 1, 0 }, { 0, 1 } }, SomMeasures.ClassCounts(Row(), data));
        Assert.Equal(4.0 / 3, SomMeasures.QuantizationError(Row(), data), 1e-6);
    }

    [Fact]
    public void Bad_samples_are_refused_with_the_fix()
    {
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => SomMeasures.QuantizationError(Row(), ReadOnlySpan<float>.Empty)).Message);
        Assert.Contains("RowMap.Inputs = 2", Assert.Throws<ArgumentException>(() => SomMeasures.TopographicError(Row(), [1f, 2f, 3f])).Message);
        Assert.Contains("one label per sample", Assert.Throws<ArgumentException>(() => SomMeasures.ClassCounts(Row(), RowSamples, [0, 1], 2)).Message);
        Assert.Throws<ArgumentException>(() => SomMeasures.QuantizationError(Row(), [float.NaN, 1f]));
    }
}
