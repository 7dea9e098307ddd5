using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

// The cache boundary of the generator. Everything here must be equatable by value — strings, numbers, enums, records
// and EquatableArray — and must never hold an ISymbol, SyntaxNode, Location or Compilation: one such member makes every
// pipeline step look changed on every keystroke (or keeps whole compilations alive). A test walks this graph.

/// <summary>A validated network declaration: everything the planner and emitter need.</summary>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    string Accessibility,
    int Inputs,
    LossKind Loss,
    UnrollingKind Unrolling,
    EquatableArray<LayerSpec> Layers,
    bool DeclaresParameterlessConstructor,
    bool DeclaresSeedConstructor,
    string? Weights)
{
    /// <summary>The file name, unique per type: <c>Namespace.Outer`1.Type.NetGen.g.cs</c>.</summary>
    public string HintName
    {
        get
        {
            var name = Namespace is null ? "" : Namespace + ".";
            foreach (var outer in ContainingTypes) name += outer.MetadataName + ".";
            return name + TypeName.TrimStart('@') + ".NetGen.g.cs";
        }
    }

    /// <summary>
    /// The declaration in canonical form, e.g. <c>netgen-1 inputs=2 dense(4,tanh) dense(1,sigmoid) loss=mse</c>: what a
    /// checkpoint must match to load into this network. The runtime's checkpoint code reads it from the generated
    /// <c>Architecture</c> constant; code shape (unrolling) is not part of it because it does not change the parameters.
    /// </summary>
    public string Architecture
    {
        get
        {
            var text = new System.Text.StringBuilder("netgen-1 inputs=").Append(Inputs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var layer in Layers)
            {
                text.Append(" dense(").Append(layer.Units.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                    .Append(layer.Activation.ToString().ToLowerInvariant());
                if (layer.Activation == ActivationKind.LeakyReLU)
                    text.Append(':').Append(layer.NegativeSlope.ToString("G9", System.Globalization.CultureInfo.InvariantCulture));
                if (layer.Residual)
                    text.Append(",residual");
                if (layer.HasBatchNorm)
                    text.Append(",batchnorm:").Append(layer.BatchNormEpsilon.ToString("G9", System.Globalization.CultureInfo.InvariantCulture));
                text.Append(')');
            }
            text.Append(" loss=").Append(Loss switch
            {
                LossKind.MeanSquaredError => "mse",
                LossKind.MeanAbsoluteError => "mae",
                LossKind.BinaryCrossEntropy => "bce",
                _ => "cross-entropy",
            });
            return text.ToString();
        }
    }

    /// <summary>The number of parameters: Σ (fan-in + 1)·units over the layers.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            int fanIn = Inputs;
            foreach (var layer in Layers)
            {
                count += ((long)fanIn + 1) * layer.Units + layer.ExtraCount;
                fanIn = layer.Units;
            }
            return count;
        }
    }

    /// <summary>The type's name as written in C# from the global namespace, e.g. <c>Samples.Outer.XorNet</c>.</summary>
    public string FullName
    {
        get
        {
            var name = Namespace is null ? "" : Namespace + ".";
            foreach (var outer in ContainingTypes) name += outer.Name + ".";
            return name + TypeName;
        }
    }
}

/// <summary>A type that contains the network class, to be reopened as <c>partial</c> around it.</summary>
/// <param name="Keyword">The declaration keyword(s), e.g. <c>class</c>, <c>struct</c>, <c>record class</c>.</param>
/// <param name="Name">The name with its type parameter list as written in C#, e.g. <c>Outer&lt;T&gt;</c>.</param>
/// <param name="MetadataName">The metadata name, e.g. <c>Outer`1</c>: unique per type, used for the file name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name, string MetadataName);

/// <summary>One dense layer: z = W·x + b, a = g(z) (+ x when <paramref name="Residual"/>).</summary>
internal sealed record LayerSpec(int Units, ActivationKind Activation, float NegativeSlope, bool Residual = false, float InputDropout = 0f,
    float BatchNormMomentum = 0f, float BatchNormEpsilon = 0f)
{
    /// <summary>PReLU layers carry one learnable slope per unit.</summary>
    public int SlopeCount => Activation == ActivationKind.PReLU ? Units : 0;

    /// <summary>Whether the layer batch-normalizes its pre-activation (ε &gt; 0 marks it).</summary>
    public bool HasBatchNorm => BatchNormEpsilon > 0f;

    /// <summary>Parameters after W and b: γ, β, running mean and running variance for batch normalization, then PReLU slopes.</summary>
    public int ExtraCount => (HasBatchNorm ? 4 * Units : 0) + SlopeCount;
}

/// <summary>What parsing one <c>[Network]</c> class produced: a spec when it is valid, any diagnostics, and — when the
/// spec names a weights file — where the <c>Weights</c> argument is, for diagnostics about the file.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsLocation = null);

/// <summary>A checkpoint file among the AdditionalFiles, decoded: its architecture and parameters, or what is wrong with it.</summary>
internal sealed record WeightsFile(string Path, string? Architecture, EquatableArray<float> Parameters, string? Problem);

/// <summary>What the emitter needs for one network: its spec and, when it embeds a valid checkpoint, the parameters.</summary>
internal sealed record EmissionInput(NetworkSpec Spec, WeightsFile? Weights);
