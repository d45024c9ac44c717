using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Mesos.StartupProfile;

namespace Mesos.StartupProfile.Tests;

/// <summary>
/// The profile file against real assemblies (the runtime's own and this test's): every kind of method the executor's
/// traces hold is written as a reference crossgen2 can resolve, in the group of the assemblies it needs.
/// </summary>
public sealed class MibcWriterTests
{
    private const string CoreLib = "System.Private.CoreLib";

    [Fact]
    public void Profile_ListsEachMethod_ByOwnerAndName_InTheGroupOfTheAssembliesItNeeds()
    {
        using var catalog = new AssemblyCatalog([RuntimeDirectory, AppContext.BaseDirectory]);
        var concat = Method(typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!, Named(typeof(string)));
        var listAdd = Method(typeof(List<>).GetMethod(nameof(List<object>.Add))!, Named(typeof(List<>), new CanonType()));
        var emptyOfInt = Method(typeof(Array).GetMethod(nameof(Array.Empty))!, Named(typeof(Array)), new PrimitiveType(0x08));
        var equatableOfInt = Method(typeof(IEquatable<>).GetMethod(nameof(IEquatable<int>.Equals))!, Named(typeof(IEquatable<>), new PrimitiveType(0x08)));
        var countOfOurs = Method(typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1),
            Named(typeof(Enumerable)), Named(typeof(Sample)));

        var path = Path.Combine(Directory.CreateTempSubdirectory("mibc-").FullName, "profile.mibc");
        var writer = new MibcWriter(catalog, "profile");
        using (var file = File.Create(path))
        {
            writer.Write(file, [(concat, 5), (listAdd, 4), (emptyOfInt, 3), (equatableOfInt, 2), (countOfOurs, 1)]);
        }

        Assert.Empty(writer.Skipped);
        var groups = MibcDump.Read(path).ToDictionary(g => g.Group, g => g.Methods);
        Assert.Equal(
            ["[System.Private.CoreLib]System.String::Concat", "[System.Private.CoreLib]System.Collections.Generic.List`1<...>::Add",
             "[System.Private.CoreLib]System.Array::Empty<...>", "[System.Private.CoreLib]System.IEquatable`1<...>::Equals"],
            groups[$"{CoreLib};"]);
        Assert.Equal(["[System.Linq]System.Linq.Enumerable::Count<...>"], groups["System.Linq;Mesos.StartupProfile.Tests;"]);
        Assert.Equal(2, groups.Count);
    }

    [Fact]
    public void SharedGenericCode_IsWrittenWithTheCanonicalStandIn_ThatCrossgen2Recognises()
    {
        using var catalog = new AssemblyCatalog([RuntimeDirectory]);
        var listAdd = Method(typeof(List<>).GetMethod(nameof(List<object>.Add))!, Named(typeof(List<>), new CanonType()));
        var path = Path.Combine(Directory.CreateTempSubdirectory("mibc-").FullName, "profile.mibc");
        using (var file = File.Create(path))
        {
            new MibcWriter(catalog, "profile").Write(file, [(listAdd, 1)]);
        }

        // Not CoreLib's own System.__Canon class: crossgen2 maps this assembly name to its canonical type.
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var canon = metadata.TypeReferences.Select(metadata.GetTypeReference).Single(t => metadata.GetString(t.Name) == "__Canon");
        Assert.Equal("System.Private.Canon", metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)canon.ResolutionScope).Name));
    }

    [Fact]
    public void MethodWhoseTokenIsNotItsOwners_IsSkipped_WithTheReason()
    {
        using var catalog = new AssemblyCatalog([RuntimeDirectory]);
        var wrongOwner = Method(typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!, Named(typeof(Array)));
        var writer = new MibcWriter(catalog, "profile");
        writer.Write(new MemoryStream(), [(wrongOwner, 1)]);

        Assert.Contains("is not declared by type", Assert.Single(writer.Skipped), StringComparison.Ordinal);
    }

    private static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static NamedType Named(Type type, params RuntimeType[] arguments) =>
        new(type.Assembly.GetName().Name!, type.MetadataToken, type.FullName!.Split('[')[0], arguments);

    private static MethodIdentity Method(System.Reflection.MethodInfo method, NamedType owner, params RuntimeType[] arguments) =>
        new(owner, method.MetadataToken, arguments);

    internal sealed class Sample;
}
