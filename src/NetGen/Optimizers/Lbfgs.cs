using System;

namespace NetGen;

/// <summary>
/// L-BFGS (Liu &amp; Nocedal, 1989), a quasi-Newton method for small networks trained full-batch. Each
/// <see cref="Step"/> is one iteration:
/// <code>
/// d ← −H·g        H ≈ (∇²L)⁻¹ from the last m pairs sₖ = θₖ₊₁ − θₖ, yₖ = gₖ₊₁ − gₖ (two-loop recursion;
///                 H₀ = (sᵀy / yᵀy)·I, and on the first iteration d = −g scaled to a step of at most 1 / ‖g‖₁)
/// t ← η, halved until L(θ + t·d) ≤ L(θ) + c₁·t·gᵀd      (backtracking Armijo line search, c₁ = 1e-4)
/// θ ← θ + t·d
/// </code>
/// A pair with sᵀy ≤ 1e-10·‖s‖·‖y‖ (no positive curvature) is not stored, so H stays positive definite. When the
/// gradient's largest entry is below <see cref="GradientTolerance"/>, or no decrease is found, the step changes nothing.
/// Defaults follow PyTorch's <c>torch.optim.LBFGS</c> except the history size (10, SciPy's default, instead of 100:
/// 2·m·n floats of memory). Vector arithmetic is in double precision.
/// </summary>
public sealed class Lbfgs : IFullBatchOptimizer
{
    private const double ArmijoC1 = 1e-4;
    private const int MaxHalvings = 30;

    private float _learningRate;
    private double[][]? _s, _y;
    private double[]? _rho, _alpha, _direction, _start, _gradient, _sCandidate, _yCandidate;
    private float[]? _trial, _trialGradient;
    private int _count, _newest = -1;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η, the first step length tried in each line search. Default 1 (the full quasi-Newton step).</param>
    /// <param name="historySize">m, the number of curvature pairs kept. Default 10.</param>
    /// <param name="gradientTolerance">Stops (steps change nothing) when max |∂L/∂θᵢ| ≤ this. Default 1e-7.</param>
    public Lbfgs(float learningRate = 1f, int historySize = 10, float gradientTolerance = 1e-7f)
    {
        LearningRate = learningRate;
        if (historySize < 1)
            throw new ArgumentOutOfRangeException(nameof(historySize), historySize, "The history size must be at least 1, such as 10.");
        HistorySize = historySize;
        GradientTolerance = OptimizerState.NonNegative(gradientTolerance, nameof(gradientTolerance));
    }

    /// <inheritdoc />
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerState.Positive(value, nameof(LearningRate), "1");
    }

    /// <summary>m, the number of (s, y) pairs kept.</summary>
    public int HistorySize { get; }

    /// <summary>The gradient tolerance below which a step does nothing.</summary>
    public float GradientTolerance { get; }

    /// <summary>The step length the last line search accepted (0 when it found no decrease).</summary>
    public double LastStepLength { get; private set; }

    /// <summary>The number of objective evaluations the last step made.</summary>
    public int LastEvaluations { get; private set; }

    /// <inheritdoc />
    public void Reset()
    {
        _s = _y = null;
        _rho = _alpha = _direction = _start = _gradient = _sCandidate = _yCandidate = null;
        _trial = _trialGradient = null;
        _count = 0;
        _newest = -1;
    }

    /// <inheritdoc />
    public float Step(Span<float> parameters, Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = parameters.Length;
        if (_s is null)
        {
            _s = new double[HistorySize][];
            _y = new double[HistorySize][];
            for (int k = 0; k < HistorySize; k++) { _s[k] = new double[n]; _y![k] = new double[n]; }
            _rho = new double[HistorySize];
            _alpha = new double[HistorySize];
            _direction = new double[n];
            _start = new double[n];
            _gradient = new double[n];
            _sCandidate = new double[n];
            _yCandidate = new double[n];
            _trial = new float[n];
            _trialGradient = new float[n];
        }
        else if (_start!.Length != n)
        {
            throw OptimizerState.WrongLength(nameof(Lbfgs), _start.Length, n);
        }

        // L(θ) and g at the start. Evaluated every step (rather than reused from the last line search) so that anything that
        // changed θ between steps — a restart, restored weights — is seen.
        float loss = objective(parameters, _trialGradient!);
        LastEvaluations = 1;
        LastStepLength = 0;
        double gradientMax = 0, gradientL1 = 0;
        for (int i = 0; i < n; i++)
        {
            _start![i] = parameters[i];
            _gradient![i] = _trialGradient![i];
            gradientMax = Math.Max(gradientMax, Math.Abs(_gradient[i]));
            gradientL1 += Math.Abs(_gradient[i]);
        }
        if (!float.IsFinite(loss) || !double.IsFinite(gradientMax))
            return float.NaN; // nothing sensible to step from; the caller sees a non-finite loss
        if (gradientMax <= GradientTolerance)
            return loss;

        ComputeDirection(n);
        double slope = Dot(_gradient!, _direction!);
        if (!(slope < 0))
        {
            // Not a descent direction (curvature pairs gone stale): fall back to steepest descent.
            ForgetHistory();
            ComputeDirection(n);
            slope = Dot(_gradient!, _direction!);
        }

        double t = _count == 0 ? Math.Min(1.0, 1.0 / gradientL1) * _learningRate : _learningRate;
        for (int halving = 0; halving < MaxHalvings; halving++, t *= 0.5)
        {
            for (int i = 0; i < n; i++)
                _trial![i] = (float)(_start[i] + t * _direction![i]);
            float trialLoss = objective(_trial, _trialGradient);
            LastEvaluations++;
            if (float.IsFinite(trialLoss) && trialLoss <= loss + ArmijoC1 * t * slope)
            {
                Remember(n);
                _trial.AsSpan().CopyTo(parameters);
                LastStepLength = t;
                return trialLoss;
            }
        }
        // No decrease along d: leave θ where it was and start the curvature model afresh next time.
        ForgetHistory();
        return loss;
    }

    /// <summary>d = −H·g by the two-loop recursion over the stored pairs, newest first.</summary>
    private void ComputeDirection(int n)
    {
        double[] q = _direction!;
        for (int i = 0; i < n; i++) q[i] = -_gradient![i];
        if (_count == 0)
            return;
        for (int k = 0; k < _count; k++)
        {
            int j = Index(k);
            _alpha![j] = _rho![j] * Dot(_s![j], q);
            Axpy(-_alpha[j], _y![j], q);
        }
        int newest = _newest;
        double gamma = Dot(_s![newest], _y![newest]) / Dot(_y[newest], _y[newest]);
        for (int i = 0; i < n; i++) q[i] *= gamma;
        for (int k = _count - 1; k >= 0; k--)
        {
            int j = Index(k);
            double beta = _rho![j] * Dot(_y[j], q);
            Axpy(_alpha![j] - beta, _s[j], q);
        }
    }

    /// <summary>Stores s = θ_new − θ and y = g(θ_new) − g(θ) if they show positive curvature, replacing the oldest pair.</summary>
    private void Remember(int n)
    {
        double[] s = _sCandidate!, y = _yCandidate!;
        for (int i = 0; i < n; i++)
        {
            s[i] = _trial![i] - _start![i];
            y[i] = _trialGradient![i] - _gradient![i];
        }
        double sy = Dot(s, y), ss = Dot(s, s), yy = Dot(y, y);
        if (!(sy > 1e-10 * Math.Sqrt(ss * yy)))
            return; // the oldest pair stays valid: nothing was written into its slot
        int slot = (_newest + 1) % HistorySize;
        (_s![slot], _sCandidate) = (s, _s[slot]);
        (_y![slot], _yCandidate) = (y, _y[slot]);
        _rho![slot] = 1 / sy;
        _newest = slot;
        _count = Math.Min(_count + 1, HistorySize);
    }

    private void ForgetHistory()
    {
        _count = 0;
        _newest = -1;
    }

    /// <summary>The slot of the k-th newest pair (k = 0 is the newest).</summary>
    private int Index(int k) => ((_newest - k) % HistorySize + HistorySize) % HistorySize;

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }
}
