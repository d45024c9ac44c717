using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Mesos.StartupProfile;

/// <summary>
/// The IL assemblies crossgen2 compiles, by name: the trimmed ones of the same publish that ran, since a trace names
/// methods and types by the tokens of the assemblies that were loaded.
/// </summary>
internal sealed class AssemblyCatalog : IDisposable
{
    private readonly List<PEReader> _readers = [];
    private readonly Dictionary<string, string> _fileToName = new(StringComparer.OrdinalIgnoreCase);

    public AssemblyCatalog(IEnumerable<string> directories)
    {
        foreach (var file in directories.SelectMany(d => Directory.GetFiles(d, "*.dll")))
        {
            var pe = new PEReader(File.OpenRead(file));
            try
            {
                if (pe.HasMetadata && pe.GetMetadataReader() is { IsAssembly: true } metadata
                    && ByName.TryAdd(metadata.GetString(metadata.GetAssemblyDefinition().Name), metadata))
                {
                    _readers.Add(pe);
                    _fileToName[Path.GetFileNameWithoutExtension(file)] = metadata.GetString(metadata.GetAssemblyDefinition().Name);
                    continue;
                }
            }
            catch (BadImageFormatException)
            {
                // A native file named .dll: not ours to profile.
            }

            pe.Dispose();
        }
    }

    public Dictionary<string, MetadataReader> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The assembly of a module path in a trace (inside a single-file bundle the path is a virtual one).</summary>
    public string? AssemblyOfModule(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var file = Path.GetFileNameWithoutExtension(path.Replace('\\', '/'));
        return _fileToName.TryGetValue(file, out var name) ? name : ByName.ContainsKey(file) ? file : null;
    }

    /// <summary>"Namespace.Name" (nested: "Outer+Inner") of a type definition, from metadata.</summary>
    public string? TypeName(string assembly, int typeDefToken)
    {
        if (!ByName.TryGetValue(assembly, out var metadata) || (typeDefToken >> 24) != 0x02)
        {
            return null;
        }

        var type = metadata.GetTypeDefinition(MetadataTokens.TypeDefinitionHandle(typeDefToken & 0xFFFFFF));
        var name = metadata.GetString(type.Name);
        if (!type.GetDeclaringType().IsNil)
        {
            return TypeName(assembly, MetadataTokens.GetToken(type.GetDeclaringType())) + "+" + name;
        }

        var ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public void Dispose() => _readers.ForEach(r => r.Dispose());
}
