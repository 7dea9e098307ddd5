namespace NetGen.Tests.Training;

/// <summary>2 → 2 sigmoid → 1 sigmoid on XOR, the network with poor local minima.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class AnnealedXor { }

public class AnnealingTests
{
    private static readonly Dataset Xor = new([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], inputWidth: 2, targetWidth: 1);

    [Theory]
    [InlineData(0.3f, 0.2f)]
    [InlineData(0.05f, 0.1f)]
    [InlineData(1f, 0.25f)]
    [InlineData(0.01f, 1f)]
    public void The_acceptance_frequency_of_a_worse_move_is_exp_minus_delta_over_T_within_five_sigma(float delta, float temperature)
    {
        const int trials = 200_000;
        var random = new SeededRandom(11);
        int accepted = 0;
        for (int i = 0; i < trials; i++)
            if (SimulatedAnnealing.Accept(delta, temperature, ref random)) accepted++;
        double p = Math.Exp(-delta / temperature), sigma = Math.Sqrt(p * (1 - p) / trials);
        double frequency = (double)accepted / trials;
        Assert.True(Math.Abs(frequency - p) <= 5 * sigma, $"ΔL {delta}, T {temperature}: accepted {frequency:0.00000}, e^(−ΔL/T) = {p:0.00000}, σ {sigma:0.00000}");
        // A move that does not increase the loss is always taken.
        Assert.True(SimulatedAnnealing.Accept(0f, temperature, ref random));
        Assert.True(SimulatedAnnealing.Accept(-delta, temperature, ref random));
    }

    private static (float[] Parameters, float Best, long Accepted) Run(int seed)
    {
        var annealing = new SimulatedAnnealing(seed: seed);
        var trainer = new Trainer<AnnealedXor>(new AnnealedXor(3), annealing, seed: 3);
        trainer.Fit(Xor, 40);
        return (trainer.Network.Parameters.ToArray(), annealing.BestLoss, annealing.Accepted);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        var (a, bestA, acceptedA) = Run(5);
        var (b, bestB, acceptedB) = Run(5);
        Assert.Equal(a, b);
        Assert.Equal(bestA, bestB);
        Assert.Equal(acceptedA, acceptedB);
        Assert.NotEqual(a, Run(6).Parameters);
    }

    [Fact]
    public void The_schedule_cools_geometrically_and_the_best_point_is_the_lowest_loss_seen()
    {
        var net = new AnnealedXor(2);
        var annealing = new SimulatedAnnealing(initialTemperature: 0.2f, cooling: 0.9f, movesPerStep: 20, seed: 1);
        var trainer = new Trainer<AnnealedXor>(net, annealing, seed: 1);
        float start = trainer.Evaluate(Xor).Loss;
        trainer.Fit(Xor, 30);
        Assert.Equal(0.2 * Math.Pow(0.9, 30), annealing.Temperature, 6);
        Assert.Equal(600, annealing.Proposed);
        Assert.InRange(annealing.Accepted, 1, 599);
        Assert.True(annealing.BestLoss <= start, $"best {annealing.BestLoss} above the start {start}");
        var best = new float[AnnealedXor.ParameterCount];
        annealing.CopyBest(best);
        Assert.Equal(annealing.BestLoss, Loss(new AnnealedXor(2), best), 5);
    }

    private static float Loss(AnnealedXor probe, float[] parameters)
    {
        parameters.CopyTo(probe.Parameters);
        float sum = 0;
        for (int s = 0; s < Xor.Count; s++) sum += probe.ComputeLoss(Xor.Input(s), Xor.Target(s));
        return sum / Xor.Count;
    }

    [Fact]
    public void The_hybrid_descends_from_the_best_point_the_annealing_found()
    {
        var annealing = new SimulatedAnnealing(seed: 4);
        var hybrid = new AnnealThenDescend(annealing, annealingSteps: 20, learningRate: 2f);
        var trainer = new Trainer<AnnealedXor>(new AnnealedXor(4), hybrid, seed: 4);
        trainer.Fit(Xor, 20);
        var best = new float[AnnealedXor.ParameterCount];
        annealing.CopyBest(best);
        Assert.Equal(best, trainer.Network.Parameters.ToArray()); // the annealing phase ends at its best point
        float before = trainer.Evaluate(Xor).Loss;
        trainer.Fit(Xor, 200);
        Assert.True(trainer.Evaluate(Xor).Loss < before, "gradient descent did not lower the loss after annealing");
    }
}
