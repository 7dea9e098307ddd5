using System;

namespace NetGen;

/// <summary>
/// How well a self-organizing map fits data and keeps its topology, and what it looks like: the quantisation and
/// topographic errors, the U-matrix, the hit map and the classes of the samples each unit wins.
/// </summary>
/// <remarks>
/// Each measure reads the map and the samples only; it allocates its result and, for the topographic error, one buffer
/// of Units distances. A sample holding NaN or infinity is refused by the best-matching-unit search (an
/// <see cref="ArgumentException"/>).
/// </remarks>
public static class SomMeasures
{
    /// <summary>
    /// The quantisation error: the mean over the samples of ‖x − w_bmu(x)‖, the Euclidean (not squared) distance from
    /// each sample to its best-matching unit's weight vector (MiniSom's <c>quantization_error</c>).
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="samples">n ≥ 1 samples of Inputs values, one after another.</param>
    public static float QuantizationError<TMap>(TMap map, ReadOnlySpan<float> samples)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = Count<TMap>(samples);
        double sum = 0;
        for (int s = 0; s < n; s++)
        {
            map.BestMatchingUnit(Row<TMap>(samples, s), out float squaredDistance);
            sum += Math.Sqrt(squaredDistance);
        }
        return (float)(sum / n);
    }

    /// <summary>The quantisation error over the input rows of <paramref name="data"/>.</summary>
    public static float QuantizationError<TMap>(TMap map, Dataset data)
        where TMap : class, ISelfOrganizingMap<TMap> => QuantizationError(map, Inputs<TMap>(data));

    /// <summary>
    /// The topographic error: the fraction of the samples whose best and second-best units are not neighbours on the grid,
    /// where neighbours are the 8 units around a unit (rows and columns each differ by at most 1, a Chebyshev distance of 1
    /// — MiniSom's rectangular <c>topographic_error</c>). Ties are broken towards the lower unit, for the best unit and then
    /// for the second among the rest. A map of one unit has no second unit; its error is 0.
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="samples">n ≥ 1 samples of Inputs values, one after another.</param>
    public static float TopographicError<TMap>(TMap map, ReadOnlySpan<float> samples)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = Count<TMap>(samples);
        if (TMap.Units == 1)
            return 0f;
        var distances = new float[TMap.Units];
        int apart = 0;
        for (int s = 0; s < n; s++)
        {
            var (best, second) = BestTwoUnits(map, Row<TMap>(samples, s), distances);
            int rows = Math.Abs(best / TMap.Width - second / TMap.Width), columns = Math.Abs(best % TMap.Width - second % TMap.Width);
            if (Math.Max(rows, columns) > 1) apart++;
        }
        return (float)apart / n;
    }

    /// <summary>The topographic error over the input rows of <paramref name="data"/>.</summary>
    public static float TopographicError<TMap>(TMap map, Dataset data)
        where TMap : class, ISelfOrganizingMap<TMap> => TopographicError(map, Inputs<TMap>(data));

    /// <summary>
    /// The best and the second-best unit of <paramref name="x"/>: the lowest-index unit at the smallest distance, then the
    /// lowest-index unit at the smallest distance among the others. <paramref name="distances"/> (Units values) receives
    /// every squared distance. Allocates nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The map has one unit, so there is no second.</exception>
    public static (int Best, int Second) BestTwoUnits<TMap>(TMap map, ReadOnlySpan<float> x, Span<float> distances)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        if (TMap.Units < 2)
            throw new InvalidOperationException($"{typeof(TMap).Name} has one unit, so no unit is second best.");
        int best = map.BestMatchingUnit(x);
        map.SquaredDistances(x, distances);
        int second = -1;
        float secondDistance = float.PositiveInfinity;
        for (int u = 0; u < distances.Length; u++)
        {
            if (u == best) continue;
            if (second < 0 || distances[u] < secondDistance)
            {
                second = u;
                secondDistance = distances[u];
            }
        }
        return (best, second);
    }

    /// <summary>
    /// The U-matrix (Ultsch): for each unit, the mean Euclidean distance from its weight vector to those of its 4 grid
    /// neighbours (up, down, left, right; 2 or 3 at the edges, 0 on a 1 × 1 map), as [row, column]. High values are
    /// borders between clusters, low values their insides.
    /// </summary>
    public static float[,] UMatrix<TMap>(TMap map)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        var result = new float[TMap.Height, TMap.Width];
        var flat = new float[TMap.Units];
        UMatrix(map, flat);
        for (int u = 0; u < TMap.Units; u++)
            result[u / TMap.Width, u % TMap.Width] = flat[u];
        return result;
    }

    /// <summary>The U-matrix written into <paramref name="destination"/>, unit by unit (row-major: [row · Width + column]). Allocates nothing.</summary>
    public static void UMatrix<TMap>(TMap map, Span<float> destination)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        if (destination.Length != TMap.Units)
            throw new ArgumentException($"destination must hold one value per unit ({typeof(TMap).Name}.Units = {TMap.Units}), but it has {destination.Length}.", nameof(destination));
        ReadOnlySpan<float> weights = map.Weights;
        int width = TMap.Width, height = TMap.Height;
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                int u = r * width + c;
                double sum = 0;
                int neighbours = 0;
                if (r > 0) { sum += Distance<TMap>(weights, u, u - width); neighbours++; }
                if (r < height - 1) { sum += Distance<TMap>(weights, u, u + width); neighbours++; }
                if (c > 0) { sum += Distance<TMap>(weights, u, u - 1); neighbours++; }
                if (c < width - 1) { sum += Distance<TMap>(weights, u, u + 1); neighbours++; }
                destination[u] = neighbours == 0 ? 0f : (float)(sum / neighbours);
            }
        }
    }

    /// <summary>How many of the samples each unit wins (is the best-matching unit of), as [row, column].</summary>
    public static int[,] HitMap<TMap>(TMap map, ReadOnlySpan<float> samples)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = Count<TMap>(samples);
        var hits = new int[TMap.Height, TMap.Width];
        for (int s = 0; s < n; s++)
        {
            int u = map.BestMatchingUnit(Row<TMap>(samples, s));
            hits[u / TMap.Width, u % TMap.Width]++;
        }
        return hits;
    }

    /// <summary>
    /// For each unit u and class k, how many samples of class k unit u wins: [unit, class]. With it, a unit's label is its
    /// most frequent class, and the map's purity is Σ_u max_k counts[u, k] / n.
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="samples">n ≥ 1 samples of Inputs values, one after another.</param>
    /// <param name="labels">The class of each sample, in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes.</param>
    public static int[,] ClassCounts<TMap>(TMap map, ReadOnlySpan<float> samples, ReadOnlySpan<int> labels, int classCount)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = Count<TMap>(samples);
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "There must be at least one class.");
        if (labels.Length != n)
            throw new ArgumentException($"There are {n} samples but {labels.Length} labels; give one label per sample.", nameof(labels));
        var counts = new int[TMap.Units, classCount];
        for (int s = 0; s < n; s++)
        {
            if ((uint)labels[s] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[s], $"Label {labels[s]} of sample {s} is outside [0, {classCount}).");
            counts[map.BestMatchingUnit(Row<TMap>(samples, s)), labels[s]]++;
        }
        return counts;
    }

    /// <summary>The class counts of a classification data set, each sample's class being its one-hot target's (<see cref="OneHot.Decode"/>).</summary>
    public static int[,] ClassCounts<TMap>(TMap map, Dataset data)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = new int[data.Count];
        for (int s = 0; s < labels.Length; s++) labels[s] = OneHot.Decode(data.Target(s));
        return ClassCounts(map, Inputs<TMap>(data), labels, data.TargetWidth);
    }

    private static double Distance<TMap>(ReadOnlySpan<float> weights, int a, int b)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        double sum = 0;
        for (int j = 0; j < TMap.Inputs; j++)
        {
            double d = (double)weights[j * TMap.Units + a] - weights[j * TMap.Units + b];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    private static ReadOnlySpan<float> Row<TMap>(ReadOnlySpan<float> samples, int s)
        where TMap : class, ISelfOrganizingMap<TMap> => samples.Slice(s * TMap.Inputs, TMap.Inputs);

    private static int Count<TMap>(ReadOnlySpan<float> samples)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        if (samples.IsEmpty)
            throw new ArgumentException($"There are no samples; give at least one row of {TMap.Inputs} values.", nameof(samples));
        if (samples.Length % TMap.Inputs != 0)
            throw new ArgumentException(
                $"The samples hold {samples.Length} values, which is not a whole number of rows of {typeof(TMap).Name}.Inputs = {TMap.Inputs}.", nameof(samples));
        return samples.Length / TMap.Inputs;
    }

    private static ReadOnlySpan<float> Inputs<TMap>(Dataset data)
        where TMap : class, ISelfOrganizingMap<TMap>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputWidth != TMap.Inputs)
            throw new ArgumentException($"The data's rows have {data.InputWidth} values but {typeof(TMap).Name}.Inputs is {TMap.Inputs}.", nameof(data));
        return data.Inputs;
    }
}
