using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Checks a generated network's analytic gradient (its <c>Backward</c>) against central finite differences of its loss,
/// (L(θ + hₖeₖ) − L(θ − hₖeₖ)) / 2hₖ, parameter by parameter, and reports the worst parameters by name.
/// </summary>
/// <remarks>
/// The losses are evaluated in float, the network's own precision, so the finite difference carries rounding noise of
/// about ε·|L| / h (ε = 2⁻²³). Differences below that noise are not counted as errors. Finite differences are wrong at a
/// kink (ReLU at 0, |a − y| at a = y) when the step straddles it: a lone outlier on such a parameter is expected; many are
/// a bug. The check evaluates the loss 2·ParameterCount times on a copy of the parameters; the network is not modified.
/// </remarks>
public static class GradientCheck
{
    /// <summary>The default relative step: hₖ = step·max(1, |θₖ|).</summary>
    public const float DefaultStep = 1e-3f;

    /// <summary>Runs the check at one sample.</summary>
    /// <param name="network">The network whose parameters are the point of the check.</param>
    /// <param name="input">One input, of length <c>TNetwork.InputSize</c>.</param>
    /// <param name="target">Its target, of length <c>TNetwork.OutputSize</c>.</param>
    /// <param name="step">The relative finite-difference step (see <see cref="DefaultStep"/>).</param>
    /// <param name="worstCount">How many of the worst parameters to report.</param>
    public static GradientCheckResult Run<TNetwork>(
        TNetwork network, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float step = DefaultStep, int worstCount = 5)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(step > 0f) || !float.IsFinite(step))
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be a small positive number such as 1e-3.");
        if (worstCount < 1)
            throw new ArgumentOutOfRangeException(nameof(worstCount), worstCount, "Report at least one parameter.");

        // Like every instance method, the check takes raw features when the network has a standardizer.
        if (network.Standardizer is { } standardizer)
        {
            var standardized = new float[input.Length];
            standardizer.Apply(input, standardized);
            input = standardized;
        }
        float[] theta = network.Parameters.ToArray();
        var analytic = new float[theta.Length];
        float loss = TNetwork.Backward(theta, input, target, analytic);
        if (!float.IsFinite(loss))
            throw new ArgumentException($"The loss at this point is {loss}; a gradient check needs a finite loss.");

        var errors = new List<ParameterGradientError>(theta.Length);
        double maxRelative = 0;
        for (int k = 0; k < theta.Length; k++)
        {
            float original = theta[k];
            float h = step * MathF.Max(1f, MathF.Abs(original));
            theta[k] = original + h;
            float plus = TNetwork.ComputeLoss(theta, input, target);
            theta[k] = original - h;
            float minus = TNetwork.ComputeLoss(theta, input, target);
            theta[k] = original;
            // The perturbation actually applied, after float rounding of θ ± h.
            double actualStep = ((double)(original + h) - (original - h));
            double numeric = (plus - (double)minus) / actualStep;
            double noise = 4 * Math.ScaleB(1, -23) * (Math.Abs(plus) + Math.Abs(minus)) / actualStep;
            double difference = Math.Abs(analytic[k] - numeric);
            double counted = Math.Max(0, difference - noise);
            double scale = Math.Max(Math.Max(Math.Abs(analytic[k]), Math.Abs(numeric)), Math.Max(noise, 1e-12));
            double relative = counted / scale;
            maxRelative = Math.Max(maxRelative, relative);
            errors.Add(new ParameterGradientError(k, TNetwork.ParameterName(k), analytic[k], numeric, difference, relative));
        }
        // Worst first; a NaN error (a NaN gradient) is the worst of all, not the least.
        static double Key(ParameterGradientError e) => double.IsNaN(e.RelativeError) ? double.PositiveInfinity : e.RelativeError;
        errors.Sort((a, b) => Key(b).CompareTo(Key(a)));
        if (errors.Count > worstCount)
            errors.RemoveRange(worstCount, errors.Count - worstCount);
        return new GradientCheckResult(typeof(TNetwork).Name, loss, theta.Length, maxRelative, errors);
    }
}

/// <summary>One parameter's analytic and numeric derivative.</summary>
/// <param name="Index">The parameter's index in the flat buffer.</param>
/// <param name="Name">Its mathematical name, e.g. <c>W2[3,5]</c>.</param>
/// <param name="Analytic">∂L/∂θ from the generated <c>Backward</c>.</param>
/// <param name="Numeric">The central finite difference.</param>
/// <param name="AbsoluteError">|analytic − numeric|.</param>
/// <param name="RelativeError">The error beyond float rounding noise, relative to the larger of the two derivatives.</param>
public readonly record struct ParameterGradientError(
    int Index, string Name, double Analytic, double Numeric, double AbsoluteError, double RelativeError);

/// <summary>The outcome of <see cref="GradientCheck.Run{TNetwork}"/>.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(string networkName, float loss, int parameterCount, double maxRelativeError, IReadOnlyList<ParameterGradientError> worst)
    {
        NetworkName = networkName;
        Loss = loss;
        ParameterCount = parameterCount;
        MaxRelativeError = maxRelativeError;
        Worst = worst;
    }

    /// <summary>The checked network's type name.</summary>
    public string NetworkName { get; }

    /// <summary>The loss at the checked point.</summary>
    public float Loss { get; }

    /// <summary>The number of parameters checked (all of them).</summary>
    public int ParameterCount { get; }

    /// <summary>The largest relative error over all parameters.</summary>
    public double MaxRelativeError { get; }

    /// <summary>The parameters with the largest relative errors, worst first.</summary>
    public IReadOnlyList<ParameterGradientError> Worst { get; }

    /// <summary>True when every parameter's relative error is at most <paramref name="tolerance"/> (1e-2 suits float).</summary>
    public bool Passed(double tolerance = 1e-2) => MaxRelativeError <= tolerance;

    /// <summary>A table of the worst parameters.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.Append($"Gradient check of {NetworkName}: {ParameterCount} parameters, loss {Loss:G6}, max relative error {MaxRelativeError:E2}\n");
        text.Append("  parameter        analytic         numeric     rel. error\n");
        foreach (var e in Worst)
            text.Append($"  {e.Name,-12} {e.Analytic,14:E5} {e.Numeric,14:E5} {e.RelativeError,12:E2}\n");
        return text.ToString();
    }
}
