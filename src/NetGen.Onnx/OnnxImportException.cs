using System.IO;

namespace NetGen.Onnx;

/// <summary>
/// An ONNX model could not be imported: it is not a valid model, or its graph is not the plain MLP the declaration says.
/// The message names the first mismatch — the layer, what the declaration expects and what the model has. The target
/// network is unchanged.
/// </summary>
public sealed class OnnxImportException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the first mismatch.</param>
    /// <param name="layer">The layer (from 1) of a mismatch, if it is one.</param>
    /// <param name="expected">What the declaration expects there.</param>
    /// <param name="found">What the model has there.</param>
    /// <param name="inner">The exception a malformed model caused inside the importer, when the checks did not foresee it.</param>
    public OnnxImportException(string message, int? layer = null, string? expected = null, string? found = null, System.Exception? inner = null)
        : base(message, inner)
    {
        Layer = layer;
        Expected = expected;
        Found = found;
    }

    /// <summary>The layer (from 1) at which the model departs from the declaration, if the problem is a mismatch.</summary>
    public int? Layer { get; }

    /// <summary>What the declaration expects there, e.g. <c>weights [16, 4]</c>.</summary>
    public string? Expected { get; }

    /// <summary>What the model has there, e.g. <c>weights [32, 4]</c>.</summary>
    public string? Found { get; }
}
