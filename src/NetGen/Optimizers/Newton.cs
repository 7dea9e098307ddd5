using System;

namespace NetGen;

/// <summary>
/// A damped Newton method (Levenberg–Marquardt damping) for very small networks trained full-batch. Each
/// <see cref="Step"/> is one iteration:
/// <code>
/// Hᵢⱼ ← (∂L/∂θᵢ(θ + h·eⱼ) − ∂L/∂θᵢ(θ − h·eⱼ)) / 2h,  then H ← (H + Hᵀ)/2     (central differences of the generated gradient)
/// d ← −(H + λ·I)⁻¹·g                                                     (Cholesky; λ raised ×10 until H + λI is positive definite)
/// θ ← θ + η·d if that lowers L and then λ ← λ/10; otherwise λ ← λ·10 and try again
/// </code>
/// The Hessian costs 2n gradient evaluations over the whole training set and 2·n² doubles of memory (the matrix and its
/// Cholesky factor), so networks with more
/// than <see cref="MaxParameterCount"/> parameters are refused: use <see cref="Lbfgs"/> for those.
/// </summary>
public sealed class Newton : IFullBatchOptimizer
{
    /// <summary>The largest parameter count accepted: 2,048 (64 MB for the Hessian and its factor, 4,096 full-batch gradients per step).</summary>
    public const int MaxParameterCount = 2048;

    private const int MaxDampingTries = 30;

    private float _learningRate;
    private double _damping;
    private double[]? _hessian, _factor, _gradient, _direction;
    private float[]? _start, _probe, _plus, _minus, _trialGradient;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η, the fraction of the Newton step taken. Default 1.</param>
    /// <param name="damping">λ, the initial damping added to the Hessian's diagonal. Default 1e-3.</param>
    /// <param name="finiteDifferenceStep">h, the step of the central differences (scaled by max(1, |θⱼ|)). Default 1e-3.</param>
    public Newton(float learningRate = 1f, float damping = 1e-3f, float finiteDifferenceStep = 1e-3f)
    {
        LearningRate = learningRate;
        InitialDamping = OptimizerState.Positive(damping, nameof(damping), "1e-3");
        FiniteDifferenceStep = OptimizerState.Positive(finiteDifferenceStep, nameof(finiteDifferenceStep), "1e-3");
        _damping = InitialDamping;
    }

    /// <inheritdoc />
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerState.Positive(value, nameof(LearningRate), "1");
    }

    /// <summary>The damping λ a fresh optimizer starts from.</summary>
    public float InitialDamping { get; }

    /// <summary>h, the finite-difference step.</summary>
    public float FiniteDifferenceStep { get; }

    /// <summary>The damping λ the next step starts from.</summary>
    public double Damping => _damping;

    /// <inheritdoc />
    public void Reset()
    {
        _damping = InitialDamping;
        _hessian = _factor = _gradient = _direction = null;
        _start = _probe = _plus = _minus = _trialGradient = null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are more than <see cref="MaxParameterCount"/> parameters.</exception>
    public float Step(Span<float> parameters, Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = parameters.Length;
        if (n > MaxParameterCount)
            throw new ArgumentException(
                $"Newton builds a dense {n}×{n} Hessian from {2 * n} full-batch gradients per step; it accepts at most {MaxParameterCount} parameters. Use Lbfgs (quasi-Newton) or Adam for this network.",
                nameof(parameters));
        if (_hessian is null)
        {
            _hessian = new double[n * n];
            _factor = new double[n * n];
            _gradient = new double[n];
            _direction = new double[n];
            _start = new float[n];
            _probe = new float[n];
            _plus = new float[n];
            _minus = new float[n];
            _trialGradient = new float[n];
        }
        else if (_gradient!.Length != n)
        {
            throw OptimizerState.WrongLength(nameof(Newton), _gradient.Length, n);
        }

        parameters.CopyTo(_start);
        float loss = objective(_start, _trialGradient);
        if (!float.IsFinite(loss) || !GradientMath.AllFinite(_trialGradient))
            return float.NaN; // nothing sensible to step from; the caller sees a non-finite loss
        for (int i = 0; i < n; i++) _gradient![i] = _trialGradient![i];

        // Column j of the Hessian: the central difference of the gradient along θⱼ.
        _start.AsSpan().CopyTo(_probe);
        for (int j = 0; j < n; j++)
        {
            float h = FiniteDifferenceStep * MathF.Max(1f, MathF.Abs(_start![j]));
            _probe![j] = _start[j] + h;
            float up = _probe[j];
            objective(_probe, _plus);
            _probe[j] = _start[j] - h;
            float down = _probe[j];
            objective(_probe, _minus);
            _probe[j] = _start[j];
            double width = (double)up - down; // the step actually taken, after rounding to float
            for (int i = 0; i < n; i++)
                _hessian[i * n + j] = (_plus![i] - (double)_minus![i]) / width;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (_hessian[i * n + j] + _hessian[j * n + i]);
                _hessian[i * n + j] = mean;
                _hessian[j * n + i] = mean;
            }

        for (int attempt = 0; attempt < MaxDampingTries; attempt++, _damping *= 10)
        {
            if (!TryCholesky(n, _damping))
                continue;
            Solve(n);
            for (int i = 0; i < n; i++)
                _probe![i] = (float)(_start![i] + _learningRate * _direction![i]);
            float trialLoss = objective(_probe, _trialGradient);
            if (float.IsFinite(trialLoss) && trialLoss < loss)
            {
                _probe.AsSpan().CopyTo(parameters);
                _damping = Math.Max(_damping / 10, 1e-12);
                return trialLoss;
            }
        }
        _damping = InitialDamping;
        return loss;
    }

    /// <summary>L·Lᵀ = H + λI into <see cref="_factor"/> (lower triangle); false when not positive definite.</summary>
    private bool TryCholesky(int n, double damping)
    {
        double[] a = _hessian!, l = _factor!;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j] + (i == j ? damping : 0);
                for (int k = 0; k < j; k++)
                    sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) return false;
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        return true;
    }

    /// <summary>d = −(L·Lᵀ)⁻¹·g by forward then backward substitution.</summary>
    private void Solve(int n)
    {
        double[] l = _factor!, d = _direction!;
        for (int i = 0; i < n; i++)
        {
            double sum = -_gradient![i];
            for (int k = 0; k < i; k++) sum -= l[i * n + k] * d[k];
            d[i] = sum / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = d[i];
            for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * d[k];
            d[i] = sum / l[i * n + i];
        }
    }
}
