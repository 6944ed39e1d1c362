package io.docbridge.emulator;

import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.identity.Directory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The demo tenant: Contoso with an administrator and two users, the "Project Document Control" site with several
 * document libraries, a second site, and OneDrives with a few folders and files. The sign-in page shows the
 * accounts, so a newcomer can click through without a tenant of their own.
 */
public final class DemoSeed {
    public static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
    public static final String SHAREPOINT_HOST = "contoso.sharepoint.com";
    public static final String PASSWORD = "Docbridge-demo-1";
    /** A personal Microsoft account, for OneDrive (personal). */
    public static final String PERSONAL_ACCOUNT = "pat.kelly@outlook.com";
    private static final long QUOTA = 25L * 1024 * 1024 * 1024 * 1024;

    /** What was created, for callers that register an app or point a plugin at it. */
    public record Seeded(Directory.Tenant tenant, Directory.User admin, List<Directory.User> users,
                         DriveStore.Site projectSite) {
    }

    private DemoSeed() {
    }

    /** The accounts, as HTML for the sign-in page. */
    public static String signInHint() {
        return "<b>Offline demo: Microsoft 365 is emulated.</b> Sign in as <code>megan@" + TENANT_DOMAIN
                + "</code> (administrator), <code>adele@" + TENANT_DOMAIN + "</code> or <code>alex@" + TENANT_DOMAIN
                + "</code>, or the personal account <code>" + PERSONAL_ACCOUNT + "</code>; password <code>" + PASSWORD
                + "</code>.";
    }

    public static Seeded seed(M365Emulator emulator) {
        Directory directory = emulator.directory();
        DriveStore drives = emulator.drives();
        Directory.Tenant tenant = directory.addTenant(TENANT_DOMAIN, "Contoso", true);
        Directory.User megan = directory.addUser(tenant, "megan", "Megan Bowen", PASSWORD, true);
        Directory.User adele = directory.addUser(tenant, "adele", "Adele Vance", PASSWORD, false);
        Directory.User alex = directory.addUser(tenant, "alex", "Alex Wilber", PASSWORD, false);
        Set<String> everyone = Set.of(megan.id(), adele.id(), alex.id());

        drives.addLibrary(drives.addSite(SHAREPOINT_HOST, "", "Contoso", everyone), "Documents", QUOTA);
        DriveStore.Site pdc = drives.addSite(SHAREPOINT_HOST, "/sites/ProjectDocumentControl",
                "Project Document Control", Set.of(megan.id(), adele.id()));
        pdc = drives.updateSiteVisitors(pdc, Set.of(alex.id())); // Alex reads the project's documents, edits none
        DriveStore.Drive documents = drives.addLibrary(pdc, "Documents", QUOTA);
        drives.addLibrary(pdc, "Drawings", QUOTA);
        drives.addLibrary(pdc, "Transmittals", QUOTA);
        drives.addLibrary(pdc, "Archive", QUOTA);
        DriveStore.Site marketing = drives.addSite(SHAREPOINT_HOST, "/sites/Marketing", "Marketing",
                Set.of(megan.id(), alex.id()));
        DriveStore.Drive campaigns = drives.addLibrary(marketing, "Documents", QUOTA);

        Actor system = Actor.SYSTEM;
        String root = drives.rootId(documents.id());
        DriveStore.Item procedures = drives.createFolder(documents.id(), root, "Procedures", "fail", system);
        file(drives, documents.id(), procedures.id(), "Document control procedure.txt",
                "Every controlled document has a number, a title, a type and a status.\n", system);
        file(drives, campaigns.id(), drives.rootId(campaigns.id()), "Launch plan.txt", "Spring launch.\n", system);

        for (Directory.User user : List.of(megan, adele, alex)) {
            Actor actor = new Actor(user.id(), user.displayName(), user.userPrincipalName());
            DriveStore.Drive own = drives.addPersonalDrive(actor, SHAREPOINT_HOST, QUOTA);
            String ownRoot = drives.rootId(own.id());
            DriveStore.Item work = drives.createFolder(own.id(), ownRoot, "Work", "fail", actor);
            drives.createFolder(own.id(), ownRoot, "Personal", "fail", actor);
            file(drives, own.id(), work.id(), "Notes.txt", "Notes of " + user.displayName() + ".\n", actor);
            file(drives, own.id(), ownRoot, "Welcome.txt", "Welcome to OneDrive, " + user.givenName() + ".\n", actor);
        }
        Directory.User pat = directory.addPersonalAccount(PERSONAL_ACCOUNT, "Pat Kelly", PASSWORD);
        Actor patActor = new Actor(pat.id(), pat.displayName(), pat.userPrincipalName());
        DriveStore.Drive patsDrive = drives.addConsumerDrive(patActor, QUOTA);
        String patsRoot = drives.rootId(patsDrive.id());
        drives.createFolder(patsDrive.id(), patsRoot, "Photos", "fail", patActor);
        file(drives, patsDrive.id(), patsRoot, "Recipes.txt", "Grandma's apple cake.\n", patActor);
        return new Seeded(tenant, megan, List.of(adele, alex), pdc);
    }

    private static void file(DriveStore drives, String driveId, String parentId, String name, String text, Actor actor) {
        drives.commitFile(driveId, parentId, name, drives.stage(new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8))), "fail", actor, null);
    }
}
