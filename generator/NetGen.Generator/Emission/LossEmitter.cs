using NetGen.Generator.Catalog;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emission;

/// <summary>
/// The loss and the gradient that starts the backward pass, in one place for every code shape: one statement per
/// output over straight-line locals, or loops over spans. A fused loss (softmax + cross-entropy, sigmoid + binary
/// cross-entropy) writes δ = ∂L/∂z of the logits; the others write ∂L/∂a of the output.
/// </summary>
internal static class LossEmitter
{
    private const string Math = ActivationCatalog.Math;

    /// <summary>Straight-line form: declares <c>float loss</c> and, when training, binds the starting gradient's locals.</summary>
    public static void WriteScalar(ScalarCode c, bool train)
    {
        var plan = c.Plan;
        var loss = plan.Spec.Loss;
        var output = plan.Output;
        var logits = plan.Logits;
        int m = output.Size;
        string a(int i) => c.Value(output, i);
        string z(int i) => c.Value(logits, i);
        c.W.WriteLine($"#region Loss: {LossCatalog.Name(loss)}");
        c.W.WriteLine("// y = target");
        c.W.WriteLine("float " + Text.Wrap(Text.Range(m, i => $"y{i} = target[{i}]"), ", ", 8, "      ") + ";");
        c.W.WriteLine("// " + LossCatalog.Math(loss, m));
        switch (loss)
        {
            case LossKind.MeanSquaredError:
            case LossKind.MeanAbsoluteError:
                for (int i = 0; i < m; i++)
                    c.W.WriteLine($"float e{i} = {a(i)} - y{i};");
                var terms = Text.Range(m, i => loss == LossKind.MeanSquaredError ? $"e{i} * e{i}" : $"{Math}.Abs(e{i})");
                c.W.WriteLine("float loss = " + Text.Divide(Text.Wrap(terms, " + ", Text.TermsPerLine, "    "), m, m > 1) + ";");
                if (train)
                {
                    c.W.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                    var da = c.NewGradient(output);
                    for (int i = 0; i < m; i++)
                        c.W.WriteLine($"float {da[i]} = {ErrorGradient(loss, m, $"e{i}")};");
                }
                break;
            case LossKind.BinaryCrossEntropy:
                var bce = Text.Range(m, i => $"({Math}.Max({z(i)}, 0f) - {z(i)} * y{i} + {Math}.Log(1f + {Math}.Exp(-{Math}.Abs({z(i)}))))");
                c.W.WriteLine("float loss = " + Text.Divide(Text.Wrap(m == 1 ? new[] { bce[0].Substring(1, bce[0].Length - 2) } : bce, " + ", 1, "    "), m, m > 1) + ";");
                if (train)
                {
                    c.W.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                    var delta = c.NewGradient(logits);
                    for (int i = 0; i < m; i++)
                        c.W.WriteLine($"float {delta[i]} = {Text.Divide($"({a(i)} - y{i})", m, false)};");
                }
                break;
            case LossKind.CrossEntropy:
                string max = c.Shared["max"], sum = c.Shared["sum"], lse = "logSumExp" + output.Layer;
                c.W.WriteLine($"float {lse} = {max} + {Math}.Log({sum});");
                c.W.WriteLine("float loss = " + Text.Wrap(Text.Range(m, i => $"y{i} * ({lse} - {z(i)})"), " + ", 3, "    ") + ";");
                if (train)
                {
                    c.W.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                    c.W.WriteLine("float ySum = " + Text.Wrap(Text.Range(m, i => $"y{i}"), " + ", 12, "    ") + ";");
                    var delta = c.NewGradient(logits);
                    for (int i = 0; i < m; i++)
                        c.W.WriteLine($"float {delta[i]} = {a(i)} * ySum - y{i};");
                }
                break;
        }
        c.W.WriteLine("#endregion");
        c.W.WriteLine();
    }

    /// <summary>
    /// Span form: declares <c>float loss</c> from the spans <paramref name="logits"/> and <paramref name="a"/> and, when
    /// <paramref name="delta"/> is given, writes the starting gradient into it.
    /// </summary>
    public static void WriteSpans(SourceWriter w, LossKind loss, int m, string logits, string a, string? delta)
    {
        bool train = delta is not null;
        w.WriteLine($"// Loss: {LossCatalog.Math(loss, m)}");
        if (train)
            w.WriteLine($"// and the gradient that starts the backward pass, into {delta}: {LossCatalog.GradientMath(loss, m)}");
        switch (loss)
        {
            case LossKind.MeanSquaredError:
            case LossKind.MeanAbsoluteError:
                w.WriteLine("float loss = 0f;");
                using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                {
                    w.WriteLine($"float e = {a}[i] - target[i];");
                    w.WriteLine(loss == LossKind.MeanSquaredError ? "loss += e * e;" : $"loss += {Math}.Abs(e);");
                    if (train) w.WriteLine($"{delta}[i] = {ErrorGradient(loss, m, "e")};");
                }
                if (m > 1) w.WriteLine($"loss /= {m}f;");
                break;
            case LossKind.BinaryCrossEntropy:
                w.WriteLine("float loss = 0f;");
                using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                {
                    w.WriteLine($"float zi = {logits}[i];");
                    w.WriteLine($"loss += {Math}.Max(zi, 0f) - zi * target[i] + {Math}.Log(1f + {Math}.Exp(-{Math}.Abs(zi)));");
                    if (train) w.WriteLine($"{delta}[i] = {Text.Divide($"({a}[i] - target[i])", m, false)};");
                }
                if (m > 1) w.WriteLine($"loss /= {m}f;");
                break;
            case LossKind.CrossEntropy:
                w.WriteLine($"float max = {logits}[0];");
                w.WriteLine($"for (int i = 1; i < {m}; i++) max = {Math}.Max(max, {logits}[i]);");
                w.WriteLine("float sum = 0f;");
                w.WriteLine($"for (int i = 0; i < {m}; i++) sum += {Math}.Exp({logits}[i] - max);");
                w.WriteLine($"float logSumExp = max + {Math}.Log(sum);");
                w.WriteLine(train ? "float loss = 0f, ySum = 0f;" : "float loss = 0f;");
                using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                {
                    w.WriteLine($"loss += target[i] * (logSumExp - {logits}[i]);");
                    if (train) w.WriteLine("ySum += target[i];");
                }
                if (train)
                    w.WriteLine($"for (int i = 0; i < {m}; i++) {delta}[i] = {a}[i] * ySum - target[i];");
                break;
        }
    }

    /// <summary>∂L/∂a for one error e = a − y: 2e/n for squared error, sign(e)/n for absolute error.</summary>
    private static string ErrorGradient(LossKind loss, int m, string e) => loss == LossKind.MeanSquaredError
        ? $"{(m == 1 ? "2f" : $"2f / {m}f")} * {e}"
        : Text.Divide($"({e} > 0f ? 1f : {e} < 0f ? -1f : 0f)", m, false);
}
