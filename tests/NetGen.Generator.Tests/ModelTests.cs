using System.Reflection;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Tests;

/// <summary>Contracts between the generator's model and the runtime it generates code for.</summary>
public class ModelTests
{
    [Fact]
    public void The_pipeline_model_holds_no_Roslyn_objects()
    {
        // A symbol, syntax node, Location or Compilation in the model breaks incremental caching (and roots trees).
        var allowed = new HashSet<Type> { typeof(Microsoft.CodeAnalysis.Text.TextSpan), typeof(Microsoft.CodeAnalysis.Text.LinePositionSpan) };
        var seen = new HashSet<Type>();
        void Walk(Type type, string path)
        {
            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || allowed.Contains(type))
                return;
            Assert.False(type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) ?? false, $"{path} is a Roslyn type: {type}");
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                Walk(type.GetGenericArguments()[0], path + "[]");
                return;
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))
            {
                Walk(type.GetGenericArguments()[0], path);
                return;
            }
            Assert.True(type.Assembly == typeof(NetworkSpec).Assembly, $"{path} has type {type}, which is not an equatable model type.");
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{path}: {type} is not IEquatable.");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.SetMethod is not null || p.Name == "Spec"))
                Walk(property.PropertyType, path + "." + property.Name);
            foreach (var field in type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance))
                Walk(field.FieldType, path + "." + field.Name);
        }
        Walk(typeof(ParseResult), nameof(ParseResult));
        Walk(typeof(NetGen.Generator.Som.SomParseResult), nameof(NetGen.Generator.Som.SomParseResult));
        // The operations are a closed family of records under OpSpec: walk every kind, not only the base.
        var kinds = typeof(OpSpec).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OpSpec))).ToList();
        Assert.True(kinds.Count >= 5, "expected the operation kinds under OpSpec");
        foreach (var kind in kinds)
            Walk(kind, kind.Name);
        Assert.Contains(typeof(NetworkSpec), seen);
        Assert.Contains(typeof(OpSpec), seen);
        Assert.Contains(typeof(DenseSpec), seen);
        Assert.Contains(typeof(Shape), seen);
        Assert.Contains(typeof(DiagnosticInfo), seen);
        Assert.Contains(typeof(NetGen.Generator.Som.SomSpec), seen);
    }

    [Fact]
    public void Attribute_names_match_the_runtime_types()
    {
        Assert.Equal(NetworkGenerator.NetworkAttributeName, typeof(NetworkAttribute).FullName);
        Assert.Equal(NetworkGenerator.DenseAttributeName, typeof(DenseAttribute).FullName);
    }

    [Fact]
    public void Enums_mirror_the_runtime_enums_value_for_value()
    {
        static void Same<TRuntime, TMirror>() where TRuntime : struct, Enum where TMirror : struct, Enum
        {
            var runtime = Enum.GetValues<TRuntime>().Select(v => (v.ToString(), Convert.ToInt32(v))).ToArray();
            var mirror = Enum.GetValues<TMirror>().Select(v => (v.ToString(), Convert.ToInt32(v))).ToArray();
            Assert.Equal(runtime, mirror);
        }
        Same<Activation, ActivationKind>();
        Same<Loss, LossKind>();
        Same<Unrolling, UnrollingKind>();
        Same<RecurrentKernels.Cell, NetGen.Generator.Model.CellKind>();
    }

    [Fact]
    public void The_planned_recurrent_cache_is_the_length_the_kernels_check_for()
    {
        // The planner reserves RecurrentOp.CacheLength floats per sample; the kernels refuse a shorter cache and lay theirs
        // out by RecurrentKernels.CacheLength: the two formulas must agree for every cell and size.
        foreach (var cell in Enum.GetValues<NetGen.Generator.Model.CellKind>())
            foreach (int steps in new[] { 1, 2, 24, 1000 })
                foreach (int units in new[] { 1, 3, 32, 257 })
                    Assert.Equal(RecurrentKernels.CacheLength((RecurrentKernels.Cell)(int)cell, steps, units), NetGen.Generator.Ops.RecurrentOp.CacheLength(cell, steps, units));
        Assert.Equal(NetworkGenerator.RecurrentAttributeName, typeof(RecurrentAttribute).FullName);
        Assert.Equal(NetworkGenerator.GruAttributeName, typeof(GruAttribute).FullName);
        Assert.Equal(NetworkGenerator.LstmAttributeName, typeof(LstmAttribute).FullName);
    }

    [Fact]
    public void The_planned_convolution_cache_and_shapes_are_the_ones_the_kernels_use()
    {
        // The planner reserves ConvolutionOp.CacheLength floats per sample and infers the output shape by its own rule; the
        // kernels lay out their cache by ConvolutionKernels.CacheLength and compute positions from ConvolutionGeometry.
        foreach (bool oneDimensional in new[] { false, true })
            foreach (int channels in new[] { 1, 3 })
                foreach (int size in new[] { 5, 8, 28 })
                    foreach (int kernel in new[] { 1, 3, 5 })
                        foreach (int stride in new[] { 1, 2 })
                            foreach (int padding in new[] { 0, 1, 2 })
                                foreach (bool bias in new[] { true, false })
                                {
                                    if (padding >= kernel || kernel > (oneDimensional ? size : size - 1) + 2 * padding) continue; // NG0035 refuses these
                                    var spec = new NetGen.Generator.Model.ConvolutionSpec(1, 4, kernel, stride, padding, bias, oneDimensional);
                                    var input = oneDimensional ? NetGen.Generator.Model.Shape.Sequence(size, channels) : NetGen.Generator.Model.Shape.Image(channels, size, size - 1);
                                    Assert.True(NetGen.Generator.Ops.OpKinds.Of(spec).TryInferShape(spec, input, out var output, out string problem), problem);
                                    var g = oneDimensional
                                        ? ConvolutionGeometry.Sequence(size, channels, 4, kernel, stride, padding)
                                        : ConvolutionGeometry.Image(channels, size, size - 1, 4, kernel, stride, padding);
                                    Assert.Equal(g.OutputLength, output.Size);
                                    Assert.Equal(ConvolutionKernels.CacheLength(g), NetGen.Generator.Ops.ConvolutionOp.CacheLength(spec, input, output));
                                }
        Assert.Equal(NetworkGenerator.Conv2DAttributeName, typeof(Conv2DAttribute).FullName);
        Assert.Equal(NetworkGenerator.Conv1DAttributeName, typeof(Conv1DAttribute).FullName);
        Assert.Equal(NetworkGenerator.MaxPool2DAttributeName, typeof(MaxPool2DAttribute).FullName);
        Assert.Equal(NetworkGenerator.AvgPool2DAttributeName, typeof(AvgPool2DAttribute).FullName);
        Assert.Equal(NetworkGenerator.FlattenAttributeName, typeof(FlattenAttribute).FullName);
        Assert.Equal(NetworkGenerator.RbfAttributeName, typeof(RbfAttribute).FullName);
    }

    [Fact]
    public void Equal_declarations_give_equal_specs()
    {
        const string source = GeneratorHarness.Usings + "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(3, Activation.Tanh)] [Dense(1)] public partial class C { }";
        var a = GeneratorHarness.RunGenerator(source).Result.TrackedSteps[TrackingNames.Networks].Single().Outputs.Single().Value;
        var b = GeneratorHarness.RunGenerator(source).Result.TrackedSteps[TrackingNames.Networks].Single().Outputs.Single().Value;
        Assert.Equal(a, b);
        Assert.NotSame(a, b);
    }
}
