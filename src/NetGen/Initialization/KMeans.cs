using System;

namespace NetGen;

/// <summary>
/// k-means clustering (Lloyd's algorithm) with k-means++ seeding (Arthur and Vassilvitskii, 2007), seeded: the same data
/// and seed give the same clusters, bit for bit. <see cref="RbfInitialization"/> places a radial-basis layer's centres
/// with it; it is public because it is useful on its own.
/// </summary>
/// <remarks>
/// Seeding: the first centre is a sample drawn uniformly; each further one is a sample drawn with probability
/// proportional to its squared distance to the nearest centre chosen so far. Then, until no sample changes cluster or
/// <c>maxIterations</c> have run: every sample joins its nearest centre (the lowest index on a tie), and every centre
/// moves to the mean of its samples (summed in double). A cluster left empty takes the sample farthest from its own
/// centre, so k clusters always remain. Hand-written: no served .NET package offers a seeded k-means over spans.
/// </remarks>
public static class KMeans
{
    /// <summary>Clusters <paramref name="data"/> (rows of <paramref name="dimensions"/> values) into <paramref name="clusters"/> groups.</summary>
    /// <param name="data">The samples, row after row.</param>
    /// <param name="dimensions">The values per sample.</param>
    /// <param name="clusters">k, at least 1 and at most the number of samples.</param>
    /// <param name="seed">Fixes the k-means++ draws.</param>
    /// <param name="maxIterations">The most assignment-and-update rounds to run; 100 by default (scikit-learn's cap is 300).</param>
    /// <returns>The centres, each sample's cluster and how the run ended.</returns>
    /// <exception cref="ArgumentException">The data is not whole rows, has fewer samples than clusters, or holds a value that is not finite.</exception>
    public static KMeansResult Fit(ReadOnlySpan<float> data, int dimensions, int clusters, int seed, int maxIterations = 100)
    {
        if (dimensions < 1)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Each sample needs at least one value.");
        if (data.Length % dimensions != 0)
            throw new ArgumentException($"The data has {data.Length} values, which is not a whole number of samples of {dimensions} values.", nameof(data));
        int n = data.Length / dimensions;
        if (clusters < 1 || clusters > n)
            throw new ArgumentOutOfRangeException(nameof(clusters), clusters,
                $"k-means needs between 1 and the number of samples ({n}) clusters; use fewer clusters (radial-basis units) or more samples.");
        if (maxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "Run at least one iteration, such as 100.");
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new ArgumentException($"Sample {i / dimensions} has a value that is not finite ({data[i]}) at position {i % dimensions}; clean or impute the data first.", nameof(data));

        var centres = new float[clusters * dimensions];
        var assignments = new int[n];
        var nearest = new double[n]; // squared distance of each sample to its nearest chosen centre
        var random = new SeededRandom(seed);

        // k-means++ seeding
        int first = random.NextInt32(n);
        data.Slice(first * dimensions, dimensions).CopyTo(centres);
        for (int s = 0; s < n; s++) nearest[s] = Distance(data.Slice(s * dimensions, dimensions), centres.AsSpan(0, dimensions));
        for (int k = 1; k < clusters; k++)
        {
            double total = 0;
            for (int s = 0; s < n; s++) total += nearest[s];
            int chosen;
            if (total > 0)
            {
                double target = random.NextSingle() * total, running = 0;
                chosen = n - 1;
                for (int s = 0; s < n; s++)
                {
                    running += nearest[s];
                    if (running > target && nearest[s] > 0) { chosen = s; break; }
                }
                while (nearest[chosen] == 0) chosen--; // rounding at the very end: the last sample with weight
            }
            else chosen = random.NextInt32(n); // every sample sits on a centre already: fewer distinct points than clusters
            var centre = centres.AsSpan(k * dimensions, dimensions);
            data.Slice(chosen * dimensions, dimensions).CopyTo(centre);
            for (int s = 0; s < n; s++) nearest[s] = Math.Min(nearest[s], Distance(data.Slice(s * dimensions, dimensions), centre));
        }

        // Lloyd's iterations
        var sums = new double[clusters * dimensions];
        var counts = new int[clusters];
        Array.Fill(assignments, -1);
        int iterations = 0;
        bool converged = false;
        while (iterations < maxIterations)
        {
            iterations++;
            bool changed = false;
            for (int s = 0; s < n; s++)
            {
                int best = Nearest(data.Slice(s * dimensions, dimensions), centres, dimensions, clusters, out double d);
                nearest[s] = d;
                if (best != assignments[s]) { assignments[s] = best; changed = true; }
            }
            if (!changed) { converged = true; break; }
            Array.Clear(sums);
            Array.Clear(counts);
            for (int s = 0; s < n; s++)
            {
                int k = assignments[s];
                counts[k]++;
                for (int j = 0; j < dimensions; j++) sums[k * dimensions + j] += data[s * dimensions + j];
            }
            for (int k = 0; k < clusters; k++)
            {
                if (counts[k] == 0)
                {
                    // An empty cluster takes the sample farthest from its centre (which then no longer counts as far).
                    int far = 0;
                    for (int s = 1; s < n; s++) if (nearest[s] > nearest[far]) far = s;
                    data.Slice(far * dimensions, dimensions).CopyTo(centres.AsSpan(k * dimensions, dimensions));
                    nearest[far] = 0;
                    continue;
                }
                for (int j = 0; j < dimensions; j++) centres[k * dimensions + j] = (float)(sums[k * dimensions + j] / counts[k]);
            }
        }
        // The assignments and inertia of the final centres (after a capped run the last update moved them).
        double inertia = 0;
        for (int s = 0; s < n; s++)
        {
            assignments[s] = Nearest(data.Slice(s * dimensions, dimensions), centres, dimensions, clusters, out double d);
            inertia += d;
        }
        return new KMeansResult(centres, assignments, dimensions, iterations, converged, inertia);
    }

    /// <summary>The index of the centre nearest to <paramref name="sample"/> (the lowest on a tie) and its squared distance.</summary>
    internal static int Nearest(ReadOnlySpan<float> sample, ReadOnlySpan<float> centres, int dimensions, int clusters, out double distance)
    {
        int best = 0;
        distance = double.PositiveInfinity;
        for (int k = 0; k < clusters; k++)
        {
            double d = Distance(sample, centres.Slice(k * dimensions, dimensions));
            if (d < distance) { distance = d; best = k; }
        }
        return best;
    }

    /// <summary>‖a − b‖², summed in double.</summary>
    internal static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double d = (double)a[j] - b[j];
            sum += d * d;
        }
        return sum;
    }
}

/// <summary>What <see cref="KMeans.Fit"/> found.</summary>
/// <param name="Centres">The k centres, row after row (k × dimensions).</param>
/// <param name="Assignments">Each sample's cluster, 0 … k − 1, for the final centres.</param>
/// <param name="Dimensions">The values per centre.</param>
/// <param name="Iterations">The assignment rounds run.</param>
/// <param name="Converged">True when the last round changed no assignment (false: the iteration cap stopped it).</param>
/// <param name="Inertia">Σ over samples of the squared distance to their centre.</param>
public sealed record KMeansResult(float[] Centres, int[] Assignments, int Dimensions, int Iterations, bool Converged, double Inertia)
{
    /// <summary>The number of clusters.</summary>
    public int Clusters => Centres.Length / Dimensions;

    /// <summary>Centre <paramref name="k"/>.</summary>
    public ReadOnlySpan<float> Centre(int k) => Centres.AsSpan(k * Dimensions, Dimensions);
}
