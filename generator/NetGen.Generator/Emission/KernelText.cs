using System.Linq;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>Titles and escapes shared by the drivers and the public surface, all derived from the operations.</summary>
internal static class KernelText
{
    /// <summary>"Layer 1: Dense 2 → 4, tanh": the layer's operations' titles, in order.</summary>
    public static string LayerTitle(NetworkPlan plan, int layer) =>
        $"Layer {layer}: " + string.Join(", ", plan.OpsOf(layer).Select(o => o.Kind.Title(o)));

    /// <summary>An operation's title with its layer: "Layer 1, Dense 2 → 4".</summary>
    public static string OpTitle(OpPlan op) => $"Layer {op.Layer}, {op.Kind.Title(op)}";

    public static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
