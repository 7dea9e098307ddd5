namespace NetGen.Generator.Helpers;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) — the checksum checkpoints carry. The runtime computes it with
/// System.IO.Hashing; the generator cannot load extra assemblies into the compiler, so it has this table version.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public static uint Compute(byte[] bytes, int offset, int count)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = offset; i < offset + count; i++)
            crc = Table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
