// This file is compiled into both the runtime (NetGen) and the generator (NetGen.Generator, netstandard2.0), so that
// checkpoints are read by exactly one implementation at run time and at compile time. Keep it free of APIs newer than
// netstandard2.0 and free of exceptions for bad input: problems are returned as a reason and a message.
using System;
using System.Collections.Generic;
using System.Text;

namespace NetGen;

/// <summary>Why a checkpoint could not be read.</summary>
#if NETGEN_GENERATOR
internal enum CheckpointProblem
#else
public enum CheckpointProblem
#endif
{
    /// <summary>The file is empty.</summary>
    Empty,

    /// <summary>The file does not start with the checkpoint magic number: it is some other kind of file.</summary>
    NotACheckpoint,

    /// <summary>The file was written by a newer (or unknown) format version.</summary>
    UnsupportedVersion,

    /// <summary>The file ends before the length its header declares.</summary>
    Truncated,

    /// <summary>A checksum does not match, or the content is inconsistent: bytes were changed.</summary>
    Corrupted,

    /// <summary>The checkpoint is intact but belongs to a network with another architecture.</summary>
    OtherNetwork,

    /// <summary>Optimizer state was requested but the file has none, or it belongs to another kind of optimizer.</summary>
    OptimizerMismatch,
}

/// <summary>
/// The NetGen checkpoint format, versions 1 and 2 (all numbers little-endian; version 2 only adds flag bit 1 and its record):
/// <code>
/// offset  size  field
///      0     8  magic 89 4E 47 57 0D 0A 1A 0A ("\x89NGW\r\n\x1A\n": detects text-mode transfers)
///      8     4  format version: 2 when the preprocessing record is present, else 1
///     12     4  flags: bit 0 = optimizer state follows; bit 1 = preprocessing follows the state; other bits 0
///     16     8  total file length in bytes
///     24     4  reserved, 0
///     28     4  CRC-32 of bytes 0–27 (the header)
///     32     8  fingerprint: FNV-1a 64 of the architecture's UTF-8 bytes
///     40     4  A, then A bytes: the architecture, UTF-8 (the generated Architecture constant)
///      …     4  P, then 4·P bytes: the parameters, float32
///      …     4  S, then 4·S bytes: reserved for non-trainable state kept apart from the parameters; written as 0
///               values (batch normalization's running statistics are the tail of the parameters)
///     [bit 1] 4  M, then 4·M bytes: the input standardizer's means, float32 (M = 0: none)
///             4  M, then 4·M bytes: its scales, float32, finite and positive
///             4  C, then C class names, each 4 length L then L bytes UTF-8 (C = 0: none)
///     [flag] 4  K, then K bytes: optimizer kind, UTF-8; 4 learning rate float32; 4 initial learning rate float32;
///               8 step count int64;
///               4 B buffers, each 4 length N then 4·N bytes float32
///   end−4    4  CRC-32 of every byte before it
/// </code>
/// A text form for the compiler (AdditionalFiles are read as text) is the line <see cref="TextHeader"/> followed by the same
/// bytes in base64. The magic and the version field (bytes 0–11) stay where they are in every version, so a reader can
/// always tell a newer file from a damaged one; everything after them may change with the version. A flag this
/// version does not define makes the file unsupported rather than misread.
/// </summary>
internal static class CheckpointFormat
{
    /// <summary>The newest version this code writes and reads: 2, which adds the preprocessing record (flag bit 1).</summary>
    public const int Version = 2;

    /// <summary>The oldest version read. A file without preprocessing is still written as version 1, which every reader reads.</summary>
    public const int FirstVersion = 1;
    public const int HeaderLength = 32;
    public const string TextHeader = "NetGen checkpoint, base64";
    public const uint OptimizerFlag = 1, PreprocessingFlag = 2, KnownFlags = OptimizerFlag | PreprocessingFlag;
    public static readonly byte[] Magic = { 0x89, 0x4E, 0x47, 0x57, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>What a valid checkpoint holds.</summary>
    public sealed class Contents
    {
        public Contents(string architecture, float[] parameters, float[] state, OptimizerContents? optimizer,
            float[]? mean = null, float[]? scale = null, string[]? classNames = null)
        {
            Architecture = architecture;
            Parameters = parameters;
            State = state;
            Optimizer = optimizer;
            Mean = mean ?? Array.Empty<float>();
            Scale = scale ?? Array.Empty<float>();
            ClassNames = classNames ?? Array.Empty<string>();
        }

        public string Architecture { get; }
        public float[] Parameters { get; }
        public float[] State { get; }
        public OptimizerContents? Optimizer { get; }

        /// <summary>The input standardizer's means (empty: none).</summary>
        public float[] Mean { get; }

        /// <summary>The input standardizer's scales (as many as <see cref="Mean"/>).</summary>
        public float[] Scale { get; }

        /// <summary>The class names (empty: none).</summary>
        public string[] ClassNames { get; }

        /// <summary>Whether the preprocessing record is written (flag bit 1).</summary>
        public bool HasPreprocessing => Mean.Length > 0 || ClassNames.Length > 0;
    }

    public sealed class OptimizerContents
    {
        public OptimizerContents(string kind, float learningRate, float initialLearningRate, long step, IReadOnlyList<float[]> buffers)
        {
            Kind = kind;
            LearningRate = learningRate;
            InitialLearningRate = initialLearningRate;
            Step = step;
            Buffers = buffers;
        }

        public string Kind { get; }
        public float LearningRate { get; }
        public float InitialLearningRate { get; }
        public long Step { get; }
        public IReadOnlyList<float[]> Buffers { get; }
    }

    /// <summary>FNV-1a 64 of the architecture's UTF-8 bytes.</summary>
    public static ulong Fingerprint(string architecture)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(architecture))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>Serialises a checkpoint; <paramref name="crc32"/> computes CRC-32 (IEEE) over a byte range.</summary>
    public static byte[] Write(Contents contents, Func<byte[], int, int, uint> crc32)
    {
        var body = new List<byte>();
        byte[] architecture = Encoding.UTF8.GetBytes(contents.Architecture);
        AddUInt64(body, Fingerprint(contents.Architecture));
        AddInt32(body, architecture.Length);
        body.AddRange(architecture);
        AddFloats(body, contents.Parameters);
        AddFloats(body, contents.State);
        if (contents.HasPreprocessing)
        {
            AddFloats(body, contents.Mean);
            AddFloats(body, contents.Scale);
            AddInt32(body, contents.ClassNames.Length);
            foreach (string name in contents.ClassNames)
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(name);
                AddInt32(body, utf8.Length);
                body.AddRange(utf8);
            }
        }
        if (contents.Optimizer is { } optimizer)
        {
            byte[] kind = Encoding.UTF8.GetBytes(optimizer.Kind);
            AddInt32(body, kind.Length);
            body.AddRange(kind);
            AddFloat(body, optimizer.LearningRate);
            AddFloat(body, optimizer.InitialLearningRate);
            AddUInt64(body, (ulong)optimizer.Step);
            AddInt32(body, optimizer.Buffers.Count);
            foreach (var buffer in optimizer.Buffers) AddFloats(body, buffer);
        }
        long total = HeaderLength + body.Count + 4;
        var bytes = new byte[total];
        Array.Copy(Magic, bytes, Magic.Length);
        PutUInt32(bytes, 8, contents.HasPreprocessing ? 2u : 1u);
        PutUInt32(bytes, 12, (contents.Optimizer is null ? 0u : OptimizerFlag) | (contents.HasPreprocessing ? PreprocessingFlag : 0u));
        PutUInt64(bytes, 16, (ulong)total);
        PutUInt32(bytes, 28, crc32(bytes, 0, 28));
        body.CopyTo(bytes, HeaderLength);
        PutUInt32(bytes, bytes.Length - 4, crc32(bytes, 0, bytes.Length - 4));
        return bytes;
    }

    /// <summary>The text form: <see cref="TextHeader"/>, then the bytes in base64, 76 characters a line.</summary>
    public static string ToText(byte[] bytes)
    {
        string base64 = Convert.ToBase64String(bytes);
        var text = new StringBuilder(TextHeader).Append('\n');
        for (int i = 0; i < base64.Length; i += 76)
            text.Append(base64, i, Math.Min(76, base64.Length - i)).Append('\n');
        return text.ToString();
    }

    /// <summary>True when <paramref name="bytes"/> start with <see cref="TextHeader"/> (the text form).</summary>
    public static bool IsText(byte[] bytes)
    {
        byte[] header = Encoding.ASCII.GetBytes(TextHeader);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0; // UTF-8 BOM
        if (bytes.Length - start < header.Length) return false;
        for (int i = 0; i < header.Length; i++)
            if (bytes[start + i] != header[i]) return false;
        return true;
    }

    /// <summary>Decodes the text form back to the binary checkpoint; false (with a message) when the base64 is damaged.</summary>
    public static bool TryFromText(string text, out byte[] bytes, out CheckpointProblem problem, out string message)
    {
        bytes = Array.Empty<byte>();
        problem = CheckpointProblem.Corrupted;
        message = "";
        string trimmed = text.TrimStart('\uFEFF');
        if (!trimmed.StartsWith(TextHeader, StringComparison.Ordinal))
        {
            message = $"it does not start with the line '{TextHeader}'";
            return false;
        }
        var base64 = new StringBuilder();
        foreach (char c in trimmed.Substring(TextHeader.Length))
            if (!char.IsWhiteSpace(c)) base64.Append(c);
        // A file cut short ends mid-quantum: decode the whole 4-character groups, so that the binary checks report the
        // truncation as such. Padding only ever ends the text, so it is kept where it is.
        int whole = base64.Length - base64.Length % 4;
        try
        {
            bytes = Convert.FromBase64String(base64.ToString(0, whole));
            if (bytes.Length > 0)
                return true;
            problem = CheckpointProblem.Truncated;
            message = "it is truncated: the text form has no data after its first line";
            return false;
        }
        catch (FormatException)
        {
            message = "it is corrupted: its base64 text has characters that are not base64";
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="bytes"/> are a proper prefix of the text form's first line (a file cut inside it), after
    /// a UTF-8 byte-order mark if there is one (or a cut inside the mark itself).
    /// </summary>
    public static bool IsCutTextHeader(byte[] bytes)
    {
        byte[] bom = { 0xEF, 0xBB, 0xBF };
        int start = 0;
        while (start < bom.Length && start < bytes.Length && bytes[start] == bom[start]) start++;
        if (start > 0 && start < bom.Length)
            return start == bytes.Length; // cut inside the byte-order mark
        byte[] header = Encoding.ASCII.GetBytes(TextHeader);
        int length = bytes.Length - start;
        if (length < 0 || (length == 0 && start == 0) || length >= header.Length) return false;
        for (int i = 0; i < length; i++)
            if (bytes[start + i] != header[i]) return false;
        return true;
    }

    /// <summary>
    /// Validates and decodes a binary checkpoint. Checks, in order: magic, header length and checksum, version, declared
    /// length against the actual one, the whole-file checksum, the body's structure, then the architecture against
    /// <paramref name="expectedArchitecture"/> (when given). Never throws for bad input.
    /// </summary>
    public static bool TryRead(byte[] bytes, string? expectedArchitecture, Func<byte[], int, int, uint> crc32,
        out Contents? contents, out CheckpointProblem problem, out string message)
    {
        contents = null;
        problem = CheckpointProblem.Corrupted;
        message = "";
        if (bytes.Length == 0)
            return Fail(CheckpointProblem.Empty, "the file is empty (0 bytes)", out problem, out message);
        if (IsCutTextHeader(bytes))
            return Fail(CheckpointProblem.Truncated, "it is truncated inside the first line of the text form", out problem, out message);
        int prefix = Math.Min(bytes.Length, Magic.Length);
        for (int i = 0; i < prefix; i++)
            if (bytes[i] != Magic[i])
                return Fail(CheckpointProblem.NotACheckpoint, "it does not start with the NetGen checkpoint magic number; it is not a checkpoint", out problem, out message);
        if (bytes.Length < 12)
            return Fail(CheckpointProblem.Truncated, $"it is truncated: {bytes.Length} bytes, shorter than the {HeaderLength}-byte header", out problem, out message);
        // The version comes before any check of the rest, whose layout a newer version may change.
        uint version = GetUInt32(bytes, 8);
        if (version < FirstVersion || version > Version)
            return Fail(CheckpointProblem.UnsupportedVersion,
                $"it has format version {version}, and this NetGen reads versions {FirstVersion} to {Version}" + (version > Version ? " (it was written by a newer NetGen, or the version field is damaged)" : ""),
                out problem, out message);
        if (bytes.Length < HeaderLength)
            return Fail(CheckpointProblem.Truncated, $"it is truncated: {bytes.Length} bytes, shorter than the {HeaderLength}-byte header", out problem, out message);
        if (GetUInt32(bytes, 28) != crc32(bytes, 0, 28))
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: the header checksum does not match", out problem, out message);
        uint flags = GetUInt32(bytes, 12);
        uint known = version >= 2 ? KnownFlags : OptimizerFlag;
        if ((flags & ~known) != 0)
            return Fail(CheckpointProblem.UnsupportedVersion,
                $"it uses features (flags 0x{flags & ~known:X}) that version {version} does not define; it was written by a newer NetGen, or its header is damaged",
                out problem, out message);
        ulong total = GetUInt64(bytes, 16);
        if ((ulong)bytes.Length < total)
            return Fail(CheckpointProblem.Truncated, $"it is truncated: {bytes.Length} bytes of the {total} its header declares", out problem, out message);
        if ((ulong)bytes.Length > total)
            return Fail(CheckpointProblem.Corrupted, $"it is corrupted: {(ulong)bytes.Length - total} bytes follow the {total} its header declares", out problem, out message);
        if (bytes.Length < HeaderLength + 4 || GetUInt32(bytes, bytes.Length - 4) != crc32(bytes, 0, bytes.Length - 4))
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: the data checksum (CRC-32) does not match", out problem, out message);

        int end = bytes.Length - 4, at = HeaderLength;
        if (!TryUInt64(bytes, ref at, end, out ulong fingerprint)
            || !TryInt32(bytes, ref at, end, out int architectureLength)
            || architectureLength < 0 || architectureLength > end - at)
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: the architecture record is malformed", out problem, out message);
        string architecture = Encoding.UTF8.GetString(bytes, at, architectureLength);
        at += architectureLength;
        if (Fingerprint(architecture) != fingerprint)
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: the fingerprint does not match the architecture", out problem, out message);
        if (!TryFloats(bytes, ref at, end, out float[] parameters) || !TryFloats(bytes, ref at, end, out float[] state))
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: the parameter records are malformed", out problem, out message);
        float[] mean = Array.Empty<float>(), scale = Array.Empty<float>();
        string[] classNames = Array.Empty<string>();
        if ((flags & PreprocessingFlag) != 0)
        {
            if (!TryFloats(bytes, ref at, end, out mean) || !TryFloats(bytes, ref at, end, out scale) || mean.Length != scale.Length
                || !TryInt32(bytes, ref at, end, out int nameCount) || nameCount < 0 || nameCount > (end - at) / 4)
                return Fail(CheckpointProblem.Corrupted, "it is corrupted: the preprocessing record is malformed", out problem, out message);
            for (int j = 0; j < mean.Length; j++)
                if (float.IsNaN(mean[j]) || float.IsInfinity(mean[j]) || !(scale[j] > 0) || float.IsInfinity(scale[j]))
                    return Fail(CheckpointProblem.Corrupted, $"it is corrupted: the standardizer's feature {j} has mean {mean[j]} and scale {scale[j]} (a mean must be finite, a scale finite and positive)", out problem, out message);
            classNames = new string[nameCount];
            for (int c = 0; c < nameCount; c++)
            {
                if (!TryInt32(bytes, ref at, end, out int nameLength) || nameLength <= 0 || nameLength > end - at)
                    return Fail(CheckpointProblem.Corrupted, "it is corrupted: the preprocessing record is malformed", out problem, out message);
                classNames[c] = Encoding.UTF8.GetString(bytes, at, nameLength);
                at += nameLength;
            }
        }
        OptimizerContents? optimizer = null;
        if ((flags & OptimizerFlag) != 0)
        {
            if (!TryInt32(bytes, ref at, end, out int kindLength) || kindLength < 0 || kindLength > end - at)
                return Fail(CheckpointProblem.Corrupted, "it is corrupted: the optimizer record is malformed", out problem, out message);
            string kind = Encoding.UTF8.GetString(bytes, at, kindLength);
            at += kindLength;
            if (!TryInt32(bytes, ref at, end, out int rateBits) || !TryInt32(bytes, ref at, end, out int initialRateBits)
                || !TryUInt64(bytes, ref at, end, out ulong step)
                || !TryInt32(bytes, ref at, end, out int bufferCount) || bufferCount < 0 || bufferCount > 64)
                return Fail(CheckpointProblem.Corrupted, "it is corrupted: the optimizer record is malformed", out problem, out message);
            var buffers = new List<float[]>();
            for (int b = 0; b < bufferCount; b++)
            {
                if (!TryFloats(bytes, ref at, end, out float[] buffer))
                    return Fail(CheckpointProblem.Corrupted, "it is corrupted: the optimizer record is malformed", out problem, out message);
                buffers.Add(buffer);
            }
            optimizer = new OptimizerContents(kind, BitsToSingle(rateBits), BitsToSingle(initialRateBits), (long)step, buffers);
        }
        if (at != end)
            return Fail(CheckpointProblem.Corrupted, "it is corrupted: unexpected bytes after the last record", out problem, out message);
        if (expectedArchitecture is not null && architecture != expectedArchitecture)
            return Fail(CheckpointProblem.OtherNetwork,
                $"it holds another network: the file's architecture is '{architecture}', this network's is '{expectedArchitecture}'", out problem, out message);
        contents = new Contents(architecture, parameters, state, optimizer, mean, scale, classNames);
        return true;
    }

    private static bool Fail(CheckpointProblem reason, string text, out CheckpointProblem problem, out string message)
    {
        problem = reason;
        message = text;
        return false;
    }

    private static bool TryInt32(byte[] bytes, ref int at, int end, out int value)
    {
        value = 0;
        if (end - at < 4) return false;
        value = (int)GetUInt32(bytes, at);
        at += 4;
        return true;
    }

    private static bool TryUInt64(byte[] bytes, ref int at, int end, out ulong value)
    {
        value = 0;
        if (end - at < 8) return false;
        value = GetUInt64(bytes, at);
        at += 8;
        return true;
    }

    private static bool TryFloats(byte[] bytes, ref int at, int end, out float[] values)
    {
        values = Array.Empty<float>();
        if (!TryInt32(bytes, ref at, end, out int count) || count < 0 || count > (end - at) / 4)
            return false;
        values = new float[count];
        for (int i = 0; i < count; i++, at += 4)
            values[i] = BitsToSingle((int)GetUInt32(bytes, at));
        return true;
    }

    private static float BitsToSingle(int bits) => new FloatBits { Int = bits }.Float;

    private static int SingleToBits(float value) => new FloatBits { Float = value }.Int;

    /// <summary>The bits of a float (netstandard2.0 has no BitConverter.Int32BitsToSingle).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
    private struct FloatBits
    {
        [System.Runtime.InteropServices.FieldOffset(0)] public int Int;
        [System.Runtime.InteropServices.FieldOffset(0)] public float Float;
    }

    private static uint GetUInt32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

    private static ulong GetUInt64(byte[] b, int at) => GetUInt32(b, at) | (ulong)GetUInt32(b, at + 4) << 32;

    private static void PutUInt32(byte[] b, int at, uint v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >> 8);
        b[at + 2] = (byte)(v >> 16);
        b[at + 3] = (byte)(v >> 24);
    }

    private static void PutUInt64(byte[] b, int at, ulong v)
    {
        PutUInt32(b, at, (uint)v);
        PutUInt32(b, at + 4, (uint)(v >> 32));
    }

    private static void AddInt32(List<byte> list, int v)
    {
        list.Add((byte)v);
        list.Add((byte)(v >> 8));
        list.Add((byte)(v >> 16));
        list.Add((byte)(v >> 24));
    }

    private static void AddUInt64(List<byte> list, ulong v)
    {
        AddInt32(list, (int)(uint)v);
        AddInt32(list, (int)(uint)(v >> 32));
    }

    private static void AddFloat(List<byte> list, float v) => AddInt32(list, SingleToBits(v));

    private static void AddFloats(List<byte> list, float[] values)
    {
        AddInt32(list, values.Length);
        foreach (float v in values) AddFloat(list, v);
    }
}
