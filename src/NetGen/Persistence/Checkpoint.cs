using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Hashing;
using System.Text;

namespace NetGen;

/// <summary>How <see cref="Checkpoint"/> writes a file.</summary>
public enum CheckpointEncoding
{
    /// <summary>The binary format (the default).</summary>
    Binary,

    /// <summary>A text line followed by the same bytes in base64: the form the generator reads as an <c>AdditionalFiles</c>
    /// item to compile weights into an assembly (the compiler hands analyzers text, not bytes).</summary>
    Base64Text,
}

/// <summary>
/// Saves and loads a network's parameters (and optionally its optimizer's state) in NetGen's versioned, checksummed
/// checkpoint format; docs/persistence.md gives the byte layout. Writes to a path are atomic: the bytes go to a temporary file
/// in the same folder, which is flushed to disk and then renamed over the target, so a crash leaves either the old file
/// or the new one. Loading validates everything before it changes anything.
/// </summary>
public static class Checkpoint
{
    /// <summary>The newest format version this NetGen writes and reads (2; a file without a standardizer or class names is written as version 1, which older readers read).</summary>
    public const int FormatVersion = CheckpointFormat.Version;

    /// <summary>Test hook: opens the temporary file that a save writes before renaming it.</summary>
    internal static Func<string, Stream> OpenTemporary = path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough);

    /// <summary>Saves <paramref name="network"/> (and <paramref name="optimizer"/>'s state, if given) to <paramref name="path"/>, atomically.</summary>
    public static void Save<TNetwork>(TNetwork network, string path, ICheckpointableOptimizer? optimizer = null, CheckpointEncoding encoding = CheckpointEncoding.Binary)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(path, Encode(Serialize(network, optimizer), encoding), typeof(TNetwork).Name + ".ngw");
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> so that the file is always either the old one or the new
    /// one: a temporary file in the same folder, flushed to disk, then renamed over the target. Also used by the ONNX exporter.
    /// </summary>
    internal static void WriteAtomically(string path, byte[] bytes, string exampleName)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"'{full}' is a directory; give a file path such as '{Path.Combine(full, exampleName)}'.");
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The folder '{directory}' does not exist; create it before saving.");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = OpenTemporary(temporary))
            {
                stream.Write(bytes);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        // The system's messages name the temporary file the save writes first; each is rethrown as the same type naming
        // the file the user asked for.
        catch (UnauthorizedAccessException exception)
        {
            throw new UnauthorizedAccessException($"'{full}' cannot be written: access to its folder or the file is denied ({exception.Message}); save to a folder you can write to.", exception);
        }
        catch (PathTooLongException exception)
        {
            throw new PathTooLongException($"'{full}' cannot be written: the path of its temporary file ({temporary.Length} characters) is too long for this system; save to a shorter path.", exception);
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new DirectoryNotFoundException($"'{full}' could not be written: its folder disappeared during the save ({exception.Message}).", exception);
        }
        catch (FileNotFoundException exception)
        {
            throw new FileNotFoundException($"'{full}' could not be written: its temporary file disappeared during the save ({exception.Message}).", full, exception);
        }
        catch (IOException exception)
        {
            throw new IOException($"'{full}' could not be written ({exception.Message}); the previous file, if any, is unchanged.", exception);
        }
        finally
        {
            try
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            catch (IOException)
            {
                // Leaving a stray temporary file must not hide why the save failed (or fail a save that succeeded).
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Writes a checkpoint of <paramref name="network"/> (and <paramref name="optimizer"/>'s state, if given) to <paramref name="stream"/>.</summary>
    public static void Save<TNetwork>(TNetwork network, Stream stream, ICheckpointableOptimizer? optimizer = null, CheckpointEncoding encoding = CheckpointEncoding.Binary)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encode(Serialize(network, optimizer), encoding));
    }

    /// <summary>
    /// Loads a checkpoint from <paramref name="path"/> into <paramref name="network"/> (and <paramref name="optimizer"/>,
    /// if given), with the standardizer and class names it carries (or none, if it carries none). Binary and base64-text
    /// files are both accepted.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or it is a directory).</exception>
    /// <exception cref="CheckpointException">The file is empty, not a checkpoint, of a newer version, truncated, corrupted,
    /// another network's, or lacks matching optimizer state. Nothing is changed.</exception>
    public static void Load<TNetwork>(TNetwork network, string path, ICheckpointableOptimizer? optimizer = null)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{Path.GetFullPath(path)}' is a directory, not a checkpoint file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The checkpoint '{Path.GetFullPath(path)}' does not exist.", path);
        Apply(network, optimizer, File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Loads a checkpoint from the rest of <paramref name="stream"/>; see <see cref="Load{TNetwork}(TNetwork, string, ICheckpointableOptimizer?)"/>.</summary>
    public static void Load<TNetwork>(TNetwork network, Stream stream, ICheckpointableOptimizer? optimizer = null)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Apply(network, optimizer, buffer.ToArray(), "The checkpoint stream");
    }

    /// <summary>The architecture recorded in a checkpoint file, without loading it (e.g. to report what a file holds).</summary>
    /// <exception cref="CheckpointException">The file is not a valid checkpoint.</exception>
    public static string ReadArchitecture(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), expectedArchitecture: null, Path.GetFileName(path)).Architecture;
    }

    /// <summary>The fingerprint a checkpoint records for an architecture: FNV-1a 64 of its UTF-8 bytes.</summary>
    public static ulong Fingerprint(string architecture) => CheckpointFormat.Fingerprint(architecture ?? throw new ArgumentNullException(nameof(architecture)));

    internal static uint Crc32Of(byte[] bytes, int offset, int count) => Crc32.HashToUInt32(bytes.AsSpan(offset, count));

    private static CheckpointFormat.Contents Serialize<TNetwork>(TNetwork network, ICheckpointableOptimizer? optimizer)
        where TNetwork : class, INetwork<TNetwork>
    {
        CheckpointFormat.OptimizerContents? state = null;
        if (optimizer is not null)
        {
            var snapshot = optimizer.CaptureState();
            state = new CheckpointFormat.OptimizerContents(snapshot.Kind, snapshot.LearningRate, snapshot.InitialLearningRate, snapshot.Step, snapshot.Buffers);
        }
        var standardizer = network.Standardizer;
        return new CheckpointFormat.Contents(TNetwork.Architecture, network.Parameters.ToArray(), [], state,
            standardizer?.Mean.ToArray(), standardizer?.Scale.ToArray(), network.ClassNames is { } names ? [.. names] : null);
    }

    private static byte[] Encode(CheckpointFormat.Contents contents, CheckpointEncoding encoding)
    {
        byte[] bytes = CheckpointFormat.Write(contents, Crc32Of);
        return encoding switch
        {
            CheckpointEncoding.Binary => bytes,
            CheckpointEncoding.Base64Text => Encoding.ASCII.GetBytes(CheckpointFormat.ToText(bytes)),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Use CheckpointEncoding.Binary or Base64Text."),
        };
    }

    private static CheckpointFormat.Contents Decode(byte[] bytes, string? expectedArchitecture, string source)
    {
        if (CheckpointFormat.IsText(bytes) && !CheckpointFormat.TryFromText(Encoding.UTF8.GetString(bytes), out bytes, out var textProblem, out string textMessage))
            throw new CheckpointException(textProblem, $"{source} cannot be loaded: {textMessage}.");
        if (!CheckpointFormat.TryRead(bytes, expectedArchitecture, Crc32Of, out var contents, out var problem, out string message))
            throw new CheckpointException(problem, $"{source} cannot be loaded: {message}.");
        return contents!;
    }

    private static void Apply<TNetwork>(TNetwork network, ICheckpointableOptimizer? optimizer, byte[] bytes, string source)
        where TNetwork : class, INetwork<TNetwork>
    {
        var contents = Decode(bytes, TNetwork.Architecture, source);
        if (contents.Parameters.Length != TNetwork.ParameterCount)
            throw new CheckpointException(CheckpointProblem.OtherNetwork,
                $"{source} cannot be loaded: it has {contents.Parameters.Length} parameters and {typeof(TNetwork).Name} has {TNetwork.ParameterCount}.");
        if (optimizer is not null)
        {
            if (contents.Optimizer is not { } state)
                throw new CheckpointException(CheckpointProblem.OptimizerMismatch,
                    $"{source} has no optimizer state; save it with Checkpoint.Save(network, path, optimizer), or load without an optimizer.");
            foreach (var buffer in state.Buffers)
                if (buffer.Length != 0 && buffer.Length != TNetwork.TrainableParameterCount)
                    throw new CheckpointException(CheckpointProblem.OptimizerMismatch,
                        $"{source} cannot be loaded: its {state.Kind} state is for {buffer.Length} parameters, but {typeof(TNetwork).Name} trains {TNetwork.TrainableParameterCount}.");
        }
        // Everything is validated before anything changes: the preprocessing against the network's sizes first.
        Standardizer? standardizer = null;
        IReadOnlyList<string>? classNames = null;
        try
        {
            if (contents.Mean.Length > 0)
                standardizer = ThrowHelper.CheckStandardizer(Standardizer.Create(contents.Mean, contents.Scale), TNetwork.InputSize, typeof(TNetwork).Name);
            if (contents.ClassNames.Length > 0)
                classNames = ThrowHelper.CheckClassNames(contents.ClassNames, TNetwork.OutputSize, typeof(TNetwork).Name);
        }
        catch (ArgumentException exception)
        {
            throw new CheckpointException(CheckpointProblem.Corrupted, $"{source} cannot be loaded: its preprocessing does not fit {typeof(TNetwork).Name}: {exception.Message}");
        }
        if (optimizer is not null)
        {
            var state = contents.Optimizer!;
            // Restores first (it validates before changing anything); the copies below cannot fail.
            optimizer.RestoreState(new OptimizerSnapshot(state.Kind, state.LearningRate, state.InitialLearningRate, state.Step, state.Buffers));
        }
        contents.Parameters.AsSpan().CopyTo(network.Parameters);
        network.Standardizer = standardizer;
        network.ClassNames = classNames;
    }
}

/// <summary><c>network.Save(path)</c> and <c>network.Load(path)</c> for every generated network.</summary>
public static class CheckpointExtensions
{
    /// <summary>Saves the network's parameters to <paramref name="path"/> atomically; see <see cref="Checkpoint"/>.</summary>
    public static void Save<TNetwork>(this TNetwork network, string path, CheckpointEncoding encoding = CheckpointEncoding.Binary)
        where TNetwork : class, INetwork<TNetwork> => Checkpoint.Save(network, path, optimizer: null, encoding);

    /// <summary>Loads parameters saved with <see cref="Save{TNetwork}"/>; the network is unchanged if the file is refused.</summary>
    public static void Load<TNetwork>(this TNetwork network, string path)
        where TNetwork : class, INetwork<TNetwork> => Checkpoint.Load(network, path);
}
