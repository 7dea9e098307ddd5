using System;

namespace NetGen;

/// <summary>
/// The instance side of a generated self-organizing map: its weights and the two operations of Kohonen's algorithm, the
/// best-matching-unit search and the neighbourhood update. Every class annotated with
/// <see cref="SelfOrganizingMapAttribute"/> implements it (through <see cref="ISelfOrganizingMap{TSelf}"/>).
/// </summary>
/// <remarks>
/// Unit u sits at grid row u / Width and column u % Width. The weights are stored <b>feature-major</b>: weight j of unit
/// u is <c>Weights[j · Units + u]</c>, so one feature of every unit is contiguous and the distance and update loops run
/// along the units, vectorised for any input width.
/// </remarks>
public interface ISelfOrganizingMap
{
    /// <summary>
    /// Every weight, feature-major: weight j of unit u at <c>[j · Units + u]</c> (Units · Inputs values). Writing to the
    /// span changes the map. <see cref="GetUnitWeights"/> and <see cref="SetUnitWeights"/> read and write one unit's vector.
    /// </summary>
    Span<float> Weights { get; }

    /// <summary>
    /// The best-matching unit of <paramref name="x"/>: the u that minimises ‖x − w_u‖², the lowest such u on a tie.
    /// Allocation-free; safe to call from several threads at once while nothing writes the weights.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not Inputs, or no distance is finite (NaN or infinity in the sample or the weights).</exception>
    int BestMatchingUnit(ReadOnlySpan<float> x);

    /// <summary>As <see cref="BestMatchingUnit(ReadOnlySpan{float})"/>, also giving ‖x − w_bmu‖², the squared distance to that unit.</summary>
    int BestMatchingUnit(ReadOnlySpan<float> x, out float squaredDistance);

    /// <summary>The grid position (row, column) of the best-matching unit of <paramref name="x"/>.</summary>
    (int Row, int Column) Locate(ReadOnlySpan<float> x);

    /// <summary>Writes ‖x − w_u‖² for every unit u into <paramref name="distances"/> (Units values). Allocation-free and thread-safe.</summary>
    void SquaredDistances(ReadOnlySpan<float> x, Span<float> distances);

    /// <summary>
    /// One step of Kohonen's rule towards <paramref name="x"/>: for every unit u,
    /// w_u ← w_u + η·h(u)·(x − w_u), with the Gaussian neighbourhood h(u) = exp(−‖r_u − r_bmu‖² / (2σ²)) on the grid
    /// positions r = (row, column). Allocation-free.
    /// </summary>
    /// <param name="x">The sample (Inputs values).</param>
    /// <param name="bestMatchingUnit">The unit the neighbourhood is centred on, usually <see cref="BestMatchingUnit(ReadOnlySpan{float})"/> of <paramref name="x"/>.</param>
    /// <param name="learningRate">η, finite.</param>
    /// <param name="radius">σ, in grid cells, positive and finite.</param>
    void Update(ReadOnlySpan<float> x, int bestMatchingUnit, float learningRate, float radius);

    /// <summary>Copies unit <paramref name="unit"/>'s weight vector (Inputs values) into <paramref name="destination"/>.</summary>
    void GetUnitWeights(int unit, Span<float> destination);

    /// <summary>Sets unit <paramref name="unit"/>'s weight vector to <paramref name="values"/> (Inputs values).</summary>
    void SetUnitWeights(int unit, ReadOnlySpan<float> values);

    /// <summary>Sets every weight to a value drawn uniformly from [−1, 1) by <see cref="SeededRandom"/>(<paramref name="seed"/>), in buffer order.</summary>
    void Initialize(int seed);
}

/// <summary>
/// The static side of a generated self-organizing map: its compile-time sizes. Generic runtime code
/// (<see cref="SomTrainer{TMap}"/>, <see cref="SomMeasures"/>) is written against it.
/// </summary>
/// <typeparam name="TSelf">The generated map class itself.</typeparam>
public interface ISelfOrganizingMap<TSelf> : ISelfOrganizingMap
    where TSelf : class, ISelfOrganizingMap<TSelf>
{
    /// <summary>The number of columns of the grid.</summary>
    static abstract int Width { get; }

    /// <summary>The number of rows of the grid.</summary>
    static abstract int Height { get; }

    /// <summary>The number of units, Width · Height.</summary>
    static abstract int Units { get; }

    /// <summary>The number of values of one sample (and of each unit's weight vector).</summary>
    static abstract int Inputs { get; }

    /// <summary>Creates a map whose weights are initialised from <paramref name="seed"/> (see <see cref="ISelfOrganizingMap.Initialize"/>).</summary>
    static abstract TSelf Create(int seed);
}
