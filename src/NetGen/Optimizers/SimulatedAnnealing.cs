using System;

namespace NetGen;

/// <summary>
/// Simulated annealing (Kirkpatrick, Gelatt and Vecchi, 1983) over the flat parameter buffer, full batch: the third way
/// out of a poor local minimum beside random restarts and stochastic gradients. It uses the loss only. Each
/// <see cref="Step"/> (one <c>Fit</c> epoch) makes <see cref="MovesPerStep"/> proposals at the current temperature T:
/// <code>
/// θ′ = θ + s·ε,  ε ~ N(0, I),  s = StepSize·√(T/T₀)          (moves shrink as it cools)
/// accept θ′ if ΔL = L(θ′) − L(θ) ≤ 0, else with probability e^(−ΔL/T)
/// T ← Cooling·T after the step                              (geometric schedule: T_k = T₀·Coolingᵏ)
/// </code>
/// A seed fixes the whole run. The parameters the step leaves are the chain's current state; <see cref="BestLoss"/> and
/// <see cref="CopyBest"/> give the lowest point seen, which <see cref="AnnealThenDescend"/> refines by gradient descent.
/// </summary>
public sealed class SimulatedAnnealing : IFullBatchOptimizer
{
    private readonly int _seed;
    private SeededRandom _random;
    private float[]? _proposal, _gradient, _best;
    private float _temperature = float.NaN, _loss = float.NaN;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="initialTemperature">T₀, in units of the loss: a worse move by T₀ is accepted with probability 1/e at the start.</param>
    /// <param name="cooling">The factor T shrinks by per step, in (0, 1).</param>
    /// <param name="stepSize">The proposal's standard deviation at T₀, per parameter.</param>
    /// <param name="movesPerStep">Proposals per step.</param>
    /// <param name="seed">Seeds the proposals and the acceptance draws.</param>
    public SimulatedAnnealing(float initialTemperature = 0.1f, float cooling = 0.97f, float stepSize = 0.5f, int movesPerStep = 50, int seed = 0)
    {
        if (!(initialTemperature > 0f) || float.IsInfinity(initialTemperature))
            throw new ArgumentOutOfRangeException(nameof(initialTemperature), initialTemperature, "The initial temperature must be positive, in units of the loss (such as 0.1 for a mean squared error near 0.25).");
        if (!(cooling > 0f && cooling < 1f))
            throw new ArgumentOutOfRangeException(nameof(cooling), cooling, "The cooling factor must be in (0, 1), such as 0.97.");
        if (!(stepSize > 0f) || float.IsInfinity(stepSize))
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be positive, such as 0.5.");
        if (movesPerStep < 1)
            throw new ArgumentOutOfRangeException(nameof(movesPerStep), movesPerStep, "Make at least one move per step.");
        InitialTemperature = initialTemperature;
        Cooling = cooling;
        StepSize = stepSize;
        MovesPerStep = movesPerStep;
        _seed = seed;
        _random = new SeededRandom(seed);
    }

    /// <summary>T₀.</summary>
    public float InitialTemperature { get; }

    /// <summary>The factor T shrinks by per step.</summary>
    public float Cooling { get; }

    /// <summary>The proposal's standard deviation at T₀.</summary>
    public float StepSize { get; }

    /// <summary>Proposals per step.</summary>
    public int MovesPerStep { get; }

    /// <summary>Scales <see cref="StepSize"/> (an epoch-based schedule moves it); 1 by default.</summary>
    public float LearningRate { get; set; } = 1f;

    /// <summary>The temperature of the next step (T₀ before the first).</summary>
    public float Temperature => float.IsNaN(_temperature) ? InitialTemperature : _temperature;

    /// <summary>The lowest loss seen so far (NaN before the first step).</summary>
    public float BestLoss { get; private set; } = float.NaN;

    /// <summary>Proposals accepted and made so far.</summary>
    public long Accepted { get; private set; }

    /// <inheritdoc cref="Accepted"/>
    public long Proposed { get; private set; }

    /// <summary>Copies the lowest point seen into <paramref name="parameters"/>.</summary>
    /// <exception cref="InvalidOperationException">No step has run yet.</exception>
    public void CopyBest(Span<float> parameters)
    {
        if (_best is null) throw new InvalidOperationException("No step has run yet: call Step (or Fit) first.");
        _best.CopyTo(parameters);
    }

    /// <summary>
    /// The Metropolis rule: true when a move that changes the loss by <paramref name="delta"/> is taken at
    /// <paramref name="temperature"/> — always when it does not increase the loss, else with probability e^(−ΔL/T).
    /// </summary>
    public static bool Accept(float delta, float temperature, ref SeededRandom random) =>
        delta <= 0f || random.NextSingle() < MathF.Exp(-delta / temperature);

    /// <inheritdoc/>
    public float Step(Span<float> parameters, Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = parameters.Length;
        if (_proposal is null || _proposal.Length != n)
        {
            _proposal = new float[n];
            _gradient = new float[n];
            _best = new float[n];
            _loss = float.NaN;
        }
        if (float.IsNaN(_temperature)) _temperature = InitialTemperature;
        if (float.IsNaN(_loss))
        {
            _loss = objective(parameters, _gradient);
            BestLoss = _loss;
            parameters.CopyTo(_best);
        }
        float scale = LearningRate * StepSize * MathF.Sqrt(_temperature / InitialTemperature);
        for (int move = 0; move < MovesPerStep; move++)
        {
            for (int i = 0; i < n; i++) _proposal[i] = parameters[i] + scale * Gaussian();
            float loss = objective(_proposal, _gradient);
            Proposed++;
            if (float.IsNaN(loss) || !Accept(loss - _loss, _temperature, ref _random)) continue;
            Accepted++;
            _proposal.CopyTo(parameters);
            _loss = loss;
            if (loss < BestLoss)
            {
                BestLoss = loss;
                parameters.CopyTo(_best);
            }
        }
        _temperature *= Cooling;
        return _loss;
    }

    /// <summary>A standard normal draw (Box–Muller on two uniforms).</summary>
    private float Gaussian()
    {
        float u = 1f - _random.NextSingle(); // (0, 1]: the logarithm is finite
        float v = _random.NextSingle();
        return MathF.Sqrt(-2f * MathF.Log(u)) * MathF.Cos(2f * MathF.PI * v);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _random = new SeededRandom(_seed);
        _temperature = float.NaN;
        _loss = float.NaN;
        BestLoss = float.NaN;
        Accepted = Proposed = 0;
    }
}

/// <summary>
/// Anneal, then descend: <see cref="AnnealingSteps"/> steps of <see cref="SimulatedAnnealing"/> to find a basin, then
/// full-batch gradient descent (θ ← θ − η·∇L, η = <see cref="LearningRate"/>) from the lowest point the annealing saw.
/// One <see cref="Step"/> per <c>Fit</c> epoch, so <c>Fit(data, annealingSteps + descentSteps)</c> runs both phases.
/// </summary>
public sealed class AnnealThenDescend : IFullBatchOptimizer
{
    private readonly SimulatedAnnealing _annealing;
    private float[]? _gradient;
    private int _steps;

    /// <summary>Creates the hybrid.</summary>
    /// <param name="annealing">The annealing phase.</param>
    /// <param name="annealingSteps">Steps of annealing before descent starts.</param>
    /// <param name="learningRate">η of the gradient-descent phase.</param>
    public AnnealThenDescend(SimulatedAnnealing annealing, int annealingSteps, float learningRate)
    {
        _annealing = annealing ?? throw new ArgumentNullException(nameof(annealing));
        if (annealingSteps < 0) throw new ArgumentOutOfRangeException(nameof(annealingSteps), annealingSteps, "The annealing phase cannot have a negative number of steps.");
        AnnealingSteps = annealingSteps;
        LearningRate = learningRate;
    }

    /// <summary>Steps of annealing before descent.</summary>
    public int AnnealingSteps { get; }

    /// <summary>η of the gradient-descent phase.</summary>
    public float LearningRate { get; set; }

    /// <inheritdoc/>
    public float Step(Span<float> parameters, Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        _steps++;
        if (_steps <= AnnealingSteps)
        {
            float loss = _annealing.Step(parameters, objective);
            if (_steps == AnnealingSteps) _annealing.CopyBest(parameters); // descend from the best basin found
            return _steps == AnnealingSteps ? _annealing.BestLoss : loss;
        }
        if (_gradient is null || _gradient.Length != parameters.Length) _gradient = new float[parameters.Length];
        float value = objective(parameters, _gradient);
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= LearningRate * _gradient[i];
        return value;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _annealing.Reset();
        _steps = 0;
    }
}
