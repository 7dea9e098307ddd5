using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen;

/// <summary>An n-dimensional array read from an IDX file (the MNIST format), its values converted to float.</summary>
/// <param name="Dimensions">The size of each dimension, outermost first (e.g. [60000, 28, 28]).</param>
/// <param name="Values">The values in row-major order.</param>
public sealed record IdxArray(int[] Dimensions, float[] Values)
{
    /// <summary>The number of items: the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>The number of values per item: the product of the other dimensions (784 for 28×28 images).</summary>
    public int ItemSize => Values.Length / Math.Max(1, Count);
}

/// <summary>
/// Reads IDX files (LeCun's MNIST format, also used by Fashion-MNIST), gzip-compressed or not (detected from the content;
/// one gzip member, as <c>gzip</c> writes, whose CRC-32 and length are verified).
/// The header is checked — two zero bytes, a known type code, 1–8 dimensions — and the data must be exactly as long as
/// the dimensions say. Any problem is an <see cref="InvalidDataException"/> that says which; no partial data is returned.
/// </summary>
/// <remarks>Hand-written: the format is a 4-byte magic, big-endian dimension sizes, then the values.</remarks>
public static class IdxReader
{
    /// <summary>Reads an IDX file.</summary>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"'{path}' is a directory; give the path of an IDX file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The IDX file '{Path.GetFullPath(path)}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads an IDX array from a stream (plain or gzip); <paramref name="sourceName"/> names it in error messages.</summary>
    public static IdxArray Read(Stream stream, string sourceName = "IDX data")
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ReadAll(stream);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            byte[] compressed = bytes;
            try
            {
                using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
                bytes = ReadAll(gzip);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{sourceName} starts like a gzip file but does not decompress ({e.Message}); the file is truncated or corrupt.", e);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException($"{sourceName} is a truncated gzip file.", e);
            }
            CheckGzipTrailer(compressed, bytes, sourceName);
        }
        return Parse(bytes, sourceName);
    }

    /// <summary>
    /// GZipStream stops quietly at the end of the deflate data, so a file cut inside its 8-byte trailer would pass: check
    /// the trailer's CRC-32 and length (RFC 1952) against what was decompressed.
    /// </summary>
    private static void CheckGzipTrailer(byte[] compressed, byte[] data, string source)
    {
        if (compressed.Length < 18)
            throw new InvalidDataException($"{source} is a truncated gzip file ({compressed.Length} bytes).");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if (length != (uint)data.Length || crc != System.IO.Hashing.Crc32.HashToUInt32(data))
            throw new InvalidDataException(
                $"{source} fails its gzip check (CRC-32 or length in the trailer does not match the data): the file is truncated or corrupt.");
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source} has {bytes.Length} bytes; an IDX file starts with a 4-byte magic number.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException(
                $"{source} does not start with an IDX magic number (it starts 0x{bytes[0]:X2} 0x{bytes[1]:X2}, where IDX has two zero bytes); is it an IDX file?");
        byte type = bytes[2];
        int rank = bytes[3];
        int elementSize = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (elementSize == 0)
            throw new InvalidDataException($"{source} has IDX type code 0x{type:X2}; known codes are 0x08 (ubyte), 0x09, 0x0B, 0x0C, 0x0D and 0x0E.");
        if (rank < 1 || rank > 8)
            throw new InvalidDataException($"{source} declares {rank} dimensions; an IDX array has 1 to 8.");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{source} is truncated: {bytes.Length} bytes, shorter than its {headerLength}-byte header.");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size == 0 || size > int.MaxValue)
                throw new InvalidDataException($"{source} declares dimension {d} of size {size}.");
            dims[d] = (int)size;
            count *= size;
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{source} declares more values than an array can hold.");
        }
        long expected = headerLength + count * elementSize;
        if (bytes.Length < expected)
            throw new InvalidDataException(
                $"{source} is truncated: its header promises {string.Join(" × ", dims)} values ({expected} bytes) but the file has {bytes.Length} bytes.");
        if (bytes.Length > expected)
            throw new InvalidDataException(
                $"{source} has {bytes.Length - expected} bytes after the {string.Join(" × ", dims)} values its header declares; the file is corrupt.");
        var values = new float[count];
        var data = bytes.AsSpan(headerLength);
        for (long i = 0; i < count; i++)
        {
            var at = data.Slice((int)(i * elementSize));
            values[i] = type switch
            {
                0x08 => at[0],
                0x09 => (sbyte)at[0],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(at),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(at),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(at),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(at),
            };
        }
        return new IdxArray(dims, values);
    }

    /// <summary>
    /// Loads an image/label pair of IDX files (MNIST, Fashion-MNIST) as a classification data set: each image flattened to
    /// one row, pixel values divided by <paramref name="divisor"/> (255 maps bytes to [0, 1]), labels one-hot encoded.
    /// </summary>
    /// <param name="imagesPath">The images file, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The labels file, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="classCount">The number of classes. Default 10.</param>
    /// <param name="divisor">Divides every pixel. Default 255.</param>
    public static Dataset LoadLabelled(string imagesPath, string labelsPath, int classCount = 10, float divisor = 255f)
    {
        if (!(divisor > 0f) || !float.IsFinite(divisor))
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be a positive number such as 255.");
        var images = Read(imagesPath);
        var labels = Read(labelsPath);
        string source = Path.GetFileName(labelsPath);
        if (images.Dimensions.Length < 2)
            throw new InvalidDataException($"{Path.GetFileName(imagesPath)} has {images.Dimensions.Length} dimension; an images file has at least 2 (count, pixels…).");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{source} has {labels.Dimensions.Length} dimensions; a labels file has 1.");
        if (labels.Count != images.Count)
            throw new InvalidDataException(
                $"{Path.GetFileName(imagesPath)} holds {images.Count} images but {source} holds {labels.Count} labels; use the matching pair of files.");
        var classes = new int[labels.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            float label = labels.Values[i];
            if (label < 0 || label >= classCount || label != MathF.Floor(label))
                throw new InvalidDataException($"{source}: label {label} of item {i} is not a class in [0, {classCount}).");
            classes[i] = (int)label;
        }
        float[] pixels = images.Values;
        for (int i = 0; i < pixels.Length; i++) pixels[i] /= divisor;
        return Dataset.FromLabels(pixels, images.ItemSize, classes, classCount);
    }
}
