using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Mesos.StartupProfile;

/// <summary>Reads a .mibc back: its groups and the methods each lists, to check a profile by eye or in a test.</summary>
internal static class MibcDump
{
    private const byte Ldstr = 0x72;
    private const byte Ldtoken = 0xD0;
    private const byte LdcR8 = 0x23;

    public static int Print(string path, TextWriter output)
    {
        var total = 0;
        foreach (var (group, methods) in Read(path))
        {
            output.WriteLine($"{group}  {methods.Count} methods, e.g. {string.Join(" | ", methods.Take(3))}");
            total += methods.Count;
        }

        output.WriteLine($"total {total} methods");
        return 0;
    }

    /// <summary>Each group's name and its methods, written as "[Assembly]Namespace.Type::Name" (generic ones marked).</summary>
    public static List<(string Group, List<string> Methods)> Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var dictionary = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition)
            .Single(m => metadata.GetString(m.Name) == "AssemblyDictionary");
        var groups = new List<(string, List<string>)>();
        var il = pe.GetMethodBody(dictionary.RelativeVirtualAddress).GetILReader();
        string? group = null;
        while (il.RemainingBytes > 0)
        {
            switch (il.ReadByte())
            {
                case Ldstr:
                    group = metadata.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF));
                    break;
                case Ldtoken:
                    var groupMethod = metadata.GetMethodDefinition((MethodDefinitionHandle)MetadataTokens.EntityHandle(il.ReadInt32()));
                    groups.Add((group ?? "", Methods(pe, metadata, groupMethod)));
                    break;
            }
        }

        return groups;
    }

    private static List<string> Methods(PEReader pe, MetadataReader metadata, MethodDefinition groupMethod)
    {
        var methods = new List<string>();
        var il = pe.GetMethodBody(groupMethod.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            switch (il.ReadByte())
            {
                case Ldtoken:
                    methods.Add(MethodName(metadata, MetadataTokens.EntityHandle(il.ReadInt32())));
                    break;
                case Ldstr:
                    il.ReadInt32();
                    break;
                case LdcR8:
                    il.ReadDouble();
                    break;
            }
        }

        return methods;
    }

    private static string MethodName(MetadataReader metadata, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MemberReference => TypeName(metadata, metadata.GetMemberReference((MemberReferenceHandle)handle).Parent)
            + "::" + metadata.GetString(metadata.GetMemberReference((MemberReferenceHandle)handle).Name),
        HandleKind.MethodSpecification => MethodName(metadata, metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method) + "<...>",
        _ => handle.Kind.ToString(),
    };

    private static string TypeName(MetadataReader metadata, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var type = metadata.GetTypeReference((TypeReferenceHandle)handle);
                var scope = type.ResolutionScope.Kind == HandleKind.AssemblyReference
                    ? "[" + metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) + "]"
                    : TypeName(metadata, (EntityHandle)type.ResolutionScope) + "+";
                var ns = metadata.GetString(type.Namespace);
                return scope + (ns.Length == 0 ? "" : ns + ".") + metadata.GetString(type.Name);
            case HandleKind.TypeSpecification:
                // GENERICINST CLASS|VALUETYPE <type> ...: name the generic type definition.
                var reader = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                return reader.ReadByte() == ElementTypes.GenericInstance && reader.ReadByte() is ElementTypes.Class or ElementTypes.ValueType
                    ? TypeName(metadata, reader.ReadTypeHandle()) + "<...>"
                    : "(type spec)";
            default:
                return handle.Kind.ToString();
        }
    }
}
