namespace NetGen.Tests.Reference;

/// <summary>The finite-difference gradient every double-precision reference checks the generated one against.</summary>
internal static class CentralDifferences
{
    /// <summary>
    /// ∂f/∂vₖ ≈ (f(v + hₖ·eₖ) − f(v − hₖ·eₖ)) / 2hₖ for every k, with hₖ = <paramref name="step"/>(vₖ); each coordinate is
    /// restored exactly before the next.
    /// </summary>
    public static double[] Gradient(Func<double[], double> f, double[] at, Func<double, double> step)
    {
        var gradient = new double[at.Length];
        var point = (double[])at.Clone();
        for (int k = 0; k < point.Length; k++)
        {
            double original = point[k], h = step(original);
            point[k] = original + h;
            double plus = f(point);
            point[k] = original - h;
            double minus = f(point);
            point[k] = original;
            gradient[k] = (plus - minus) / (2 * h);
        }
        return gradient;
    }
}
