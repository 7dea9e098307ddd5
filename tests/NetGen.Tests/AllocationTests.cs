using NetGen.Tests.Networks;

namespace NetGen.Tests;

/// <summary>The hot paths allocate nothing once warmed up, in every code shape.</summary>
public class AllocationTests
{
    public static TheoryData<string> Shapes => new() { nameof(SmallTanhMseSigmoid), nameof(LoopedReluCe), nameof(MixedDeep), nameof(Mnist), nameof(WideScratch) };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Predict_Backward_and_ComputeLoss_allocate_nothing(string network) =>
        NetworkCatalog.Invoke(typeof(AllocationTests), nameof(Check), network);

    private static void Check<T>() where T : class, INetwork<T>
    {
        var net = T.Create(1);
        var input = new float[T.InputSize];
        var target = new float[T.OutputSize];
        target[0] = 1f;
        var output = new float[T.OutputSize];
        var gradients = new float[T.ParameterCount];
        for (int i = 0; i < input.Length; i++) input[i] = (i % 7) / 7f;

        // Warm up past the tiered JIT's thresholds (30 calls, then tier-1 and on-stack replacement of this loop), whose
        // transitions can allocate on this thread, and, for the largest networks, the thread's scratch buffer.
        for (int i = 0; i < 300; i++)
        {
            net.Predict(input, output);
            net.Backward(input, target, gradients);
            net.ComputeLoss(input, target);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            net.Predict(input, output);
            net.Backward(input, target, gradients);
            net.ComputeLoss(input, target);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{typeof(T).Name}: 100 Predict + Backward + ComputeLoss calls allocated {allocated} bytes.");
    }

    [Fact]
    public void An_Sgd_step_allocates_nothing()
    {
        var parameters = new float[1000];
        var gradients = new float[1000];
        var sgd = new Sgd(0.1f);
        sgd.Step(parameters, gradients);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) sgd.Step(parameters, gradients);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
